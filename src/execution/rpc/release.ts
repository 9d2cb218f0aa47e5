/**
 * Every RPC result carries a `[Symbol.dispose]()` that releases the stubs it
 * may hold. The fabric's results are plain data, but disposing them as soon
 * as they are read is what the runtime asks of a caller, and it keeps a
 * service (or a module's isolate) from holding anything open for us.
 */
export function releaseRpcResult(result: unknown): void {
  const dispose = (Symbol as { dispose?: symbol }).dispose
  if (dispose === undefined || typeof result !== 'object' || result === null) return
  const disposer: unknown = (result as Record<symbol, unknown>)[dispose]
  if (typeof disposer === 'function') disposer.call(result)
}
