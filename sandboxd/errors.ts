/**
 * sandboxd's errors: a code the fabric knows (its ExecErrorCode registry, plus
 * the API codes for auth and routing), an HTTP status and a message that says
 * what to do next. The HTTP layer turns them into `{error: {code, message}}`.
 */
import type { ExecErrorCode } from '../types/execution.ts'

export type SandboxdErrorCode = ExecErrorCode | 'UNAUTHORIZED' | 'NOT_FOUND' | 'PAYLOAD_TOO_LARGE'

const STATUS: Partial<Record<SandboxdErrorCode, number>> = {
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_ARGUMENT: 400,
  EINVAL: 400,
  ENOENT: 404,
  ENOTDIR: 400,
  EISDIR: 400,
  EACCES: 403,
  EFBIG: 413,
  RESERVED_PATH: 400,
  TIER_UNAVAILABLE: 503,
}

export class SandboxdError extends Error {
  readonly code: SandboxdErrorCode
  readonly status: number
  readonly details: Record<string, unknown> | undefined

  constructor(code: SandboxdErrorCode, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'SandboxdError'
    this.code = code
    this.status = STATUS[code] ?? 500
    this.details = details
  }
}

/** Node's filesystem errors (ENOENT, ENOTDIR, …) as SandboxdErrors about a work-dir path. */
export function fromFsError(error: unknown, path: string): SandboxdError {
  if (error instanceof SandboxdError) return error
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  switch (code) {
    case 'ENOENT':
      return new SandboxdError('ENOENT', `'${path}' does not exist in the work dir`, { path })
    case 'ENOTDIR':
      return new SandboxdError('ENOTDIR', `a parent of '${path}' is not a directory`, { path })
    case 'EISDIR':
      return new SandboxdError('EISDIR', `'${path}' is a directory`, { path })
    case 'ELOOP':
      return new SandboxdError('EACCES', `'${path}' is a symlink; sandboxd never follows symlinks in the work dir`, { path })
    default:
      return new SandboxdError('SANDBOX_ERROR', `file operation on '${path}' failed: ${String((error as Error)?.message ?? error)}`, { path })
  }
}
