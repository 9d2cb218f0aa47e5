/**
 * One AbortSignal for a tier-1 call that fires on the caller's signal or when
 * `timeoutMs` runs out, remembering which, so the result says TIMEOUT or
 * CANCELLED. `race` stops waiting for a utility the moment the signal fires;
 * the utility itself stops at its next `throwIfAborted()`.
 */
export type DeadlineOutcome = 'TIMEOUT' | 'CANCELLED'

export class Deadline {
  private readonly controller = new AbortController()
  private readonly timer: ReturnType<typeof setTimeout>
  private reason: DeadlineOutcome | undefined
  private readonly onParentAbort = () => this.fire('CANCELLED')

  constructor(
    timeoutMs: number,
    private readonly parent?: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.fire('TIMEOUT'), timeoutMs)
    if (parent?.aborted) this.fire('CANCELLED')
    else parent?.addEventListener('abort', this.onParentAbort)
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  get outcome(): DeadlineOutcome | undefined {
    return this.reason
  }

  private fire(reason: DeadlineOutcome): void {
    if (this.reason) return
    this.reason = reason
    this.controller.abort(new DeadlineReached(reason))
  }

  /** Settles with `work`, or rejects with DeadlineReached as soon as the signal fires. */
  race<T>(work: Promise<T>): Promise<T> {
    // The losing promise may still reject later; that must not become an unhandled rejection.
    work.catch(() => undefined)
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.controller.signal.reason)
      if (this.controller.signal.aborted) return onAbort()
      this.controller.signal.addEventListener('abort', onAbort, { once: true })
      work.then(resolve, reject).finally(() => this.controller.signal.removeEventListener('abort', onAbort))
    })
  }

  dispose(): void {
    clearTimeout(this.timer)
    this.parent?.removeEventListener('abort', this.onParentAbort)
  }
}

export class DeadlineReached extends Error {
  override readonly name = 'DeadlineReached'
  constructor(readonly outcome: DeadlineOutcome) {
    super(outcome === 'TIMEOUT' ? 'the time limit ran out' : 'the call was cancelled')
  }
}
