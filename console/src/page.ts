/** What a console page is: it fills <main> and may hand back a cleanup for its sockets and timers. */
export interface PageArgs {
  /** The id in #/agents/<id>, else ''. */
  id: string
  /** The query after '?' in the hash (#/wal?executionId=…). */
  query: URLSearchParams
}

export type Page = (main: HTMLElement, args: PageArgs) => (() => void) | void

/** Runs `tick` now and every `ms` until the page goes; the fabric answers within the interval on loopback. */
export function every(ms: number, tick: () => Promise<void>): () => void {
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const loop = async () => {
    await tick().catch(() => undefined)
    if (!stopped) timer = setTimeout(loop, ms)
  }
  void loop()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
