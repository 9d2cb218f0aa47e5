/**
 * Building ExecResults. Every tier reports through these so a result always
 * has the same fields, and a failure always carries a registry code.
 */
import { type ExecError, type ExecResult, type ExecutionTier } from '../../types/execution'
import { ERROR_CODES, type ErrorCode } from '../../types/errors'

export interface ResultIdentity {
  tier: ExecutionTier
  operation: string
  executionId: string
  traceId: string
}

/** An error with its code's retriability from the registry, so no tier decides that itself. */
export function execError(code: ErrorCode, message: string, details?: Record<string, unknown>): ExecError {
  return { code, message, retriable: ERROR_CODES[code].retriable, ...(details ? { details } : {}) }
}

/** Result fields a failure may set besides its error; `details` goes into the error. */
export type FailureExtra = Partial<Omit<ExecResult, 'error'>> & { details?: Record<string, unknown> }

export function failure(
  identity: ResultIdentity,
  code: ErrorCode,
  message: string,
  startedAt: number,
  { details, ...extra }: FailureExtra = {},
): ExecResult {
  return {
    ok: false,
    exitCode: extra.exitCode ?? 1,
    stdout: '',
    stderr: message.endsWith('\n') ? message : `${message}\n`,
    ...extra,
    ...identity,
    error: execError(code, message, details),
    duration: performance.now() - startedAt,
  }
}

/**
 * Converts anything thrown inside an executor into a result (executors never
 * throw): INTERNAL by default, or the tier's own code with what it was doing
 * (`context: message`). The stack is kept for the logs.
 */
export function failureFromThrown(
  identity: ResultIdentity,
  thrown: unknown,
  startedAt: number,
  code: ErrorCode = 'INTERNAL',
  context?: string,
): ExecResult {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown))
  const result = failure(identity, code, context ? `${context}: ${error.message}` : error.message, startedAt)
  if (result.error && error.stack) result.error.stack = error.stack
  return result
}
