/**
 * The fabric's typed error: a code from the central registry, a message that
 * says what to do next, and optional details. Thrown inside the API and the
 * governed path; the HTTP layer maps it to `{error: {code, message, details}}`.
 */
import { EXEC_ERROR_CODES, type ExecErrorCode } from '../../types/execution'

/** Codes that only the API layer raises (auth, routing, bodies). */
export const API_ERROR_CODES = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  BAD_REQUEST: 400,
  VALIDATION_ERROR: 400,
  PAYLOAD_TOO_LARGE: 413,
  QUEUE_FULL: 429,
  /** The tenant's request rate limit; the response carries Retry-After. */
  RATE_LIMITED: 429,
  /** A request field over its size or count limit (command length, args count, env size, …). */
  LIMIT_EXCEEDED: 413,
  /** The deployment is configured unsafely (e.g. a dev token in production) and refuses to serve. */
  INSECURE_CONFIG: 503,
  DEADLINE_EXCEEDED: 408,
  INVALID_STATE: 409,
  INVALID_JSON: 400,
  METHOD_NOT_ALLOWED: 405,
  /** An egress grant names an internal destination (loopback, private, link-local…) the operator did not open. */
  EGRESS_DENIED: 403,
  /** An egress grant no policy rule allows (the tenant default does not grant network to an agent-scope token). */
  EGRESS_NOT_GRANTED: 403,
  /** A resource limit asked above the tenant's ceiling; details name the ceiling. */
  CEILING_EXCEEDED: 403,
} as const

export type ApiErrorCode = keyof typeof API_ERROR_CODES
export type FabricErrorCode = ExecErrorCode | ApiErrorCode

export function statusForCode(code: FabricErrorCode): number {
  if (code in API_ERROR_CODES) return API_ERROR_CODES[code as ApiErrorCode]
  return EXEC_ERROR_CODES[code as ExecErrorCode].status
}

export class FabricError extends Error {
  readonly status: number
  constructor(
    readonly code: FabricErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    status?: number,
  ) {
    super(message)
    this.name = 'FabricError'
    this.status = status ?? statusForCode(code)
  }

  toJSON(): { error: { code: string; message: string; details?: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } }
  }
}
