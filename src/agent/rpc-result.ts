/**
 * Durable Object RPC carries only an Error's message to the caller, so the
 * agent's methods return their FabricErrors as data and the caller turns them
 * back into FabricErrors with the same code, message and details. Details
 * travel as JSON text: RPC types cannot describe `unknown` values.
 */
import { FabricError, type ErrorCode } from '../../types/errors'

export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string; detailsJson?: string } }

export async function capture<T>(work: () => T | Promise<T>): Promise<RpcResult<T>> {
  try {
    return { ok: true, value: await work() }
  } catch (thrown) {
    if (thrown instanceof FabricError) {
      const error = { code: thrown.code, message: thrown.message }
      return { ok: false, error: thrown.details ? { ...error, detailsJson: JSON.stringify(thrown.details) } : error }
    }
    throw thrown
  }
}

export function unwrap<T>(result: RpcResult<T>): T {
  if (result.ok) return result.value
  const details = result.error.detailsJson ? (JSON.parse(result.error.detailsJson) as Record<string, unknown>) : undefined
  throw new FabricError(result.error.code, result.error.message, details)
}
