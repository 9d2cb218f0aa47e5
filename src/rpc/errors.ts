/**
 * Workers RPC carries only an Error's message across a binding, so errors
 * that have a code are rethrown as `Error("<CODE>: <message>")` for callers
 * to match on.
 */
export async function withCodedErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (thrown) {
    const code = (thrown as { code?: unknown }).code
    if (typeof code !== 'string' || !(thrown instanceof Error)) throw thrown
    throw new Error(thrown.message.startsWith(`${code}: `) ? thrown.message : `${code}: ${thrown.message}`)
  }
}
