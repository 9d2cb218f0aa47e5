/** What of an ExecResult leaves the fabric: everything but internal stacks. */
import type { ExecResult } from '../../types/execution'

export function publicResult(result: ExecResult): ExecResult {
  if (!result.error?.stack) return result
  const { stack: _stack, ...error } = result.error
  return { ...result, error }
}
