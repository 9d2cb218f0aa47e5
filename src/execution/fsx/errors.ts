/**
 * The one error type fsx throws. Executors catch it and turn it into an
 * `ExecResult` with the same code, so the code must come from the shared
 * registry and the message must name the path exactly as the caller wrote it.
 */
import type { ErrorCode } from '../../../types/errors'

export type FsErrorCode = Extract<
  ErrorCode,
  'EINVAL' | 'EACCES' | 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'EFBIG'
>

/**
 * strerror(3)-style wording, so tier-1 utilities can print GNU-style lines
 * such as `cat: /x: No such file or directory` from `error.reason`.
 */
const REASONS: Record<FsErrorCode, string> = {
  EINVAL: 'Invalid argument',
  EACCES: 'Permission denied',
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOTEMPTY: 'Directory not empty',
  EFBIG: 'File too large',
}

export class FsError extends Error {
  override readonly name = 'FsError'
  /** strerror-style text without the path, e.g. "No such file or directory". */
  readonly reason: string

  constructor(
    readonly code: FsErrorCode,
    /** The path as the caller gave it (not the normalised or storage form). */
    readonly path: string,
    options: { reason?: string; hint?: string } = {},
  ) {
    const reason = options.reason ?? REASONS[code]
    super(`${code}: ${reason}: '${path}'${options.hint ? ` (${options.hint})` : ''}`)
    this.reason = reason
  }
}

export function isFsError(value: unknown): value is FsError {
  return value instanceof FsError
}

/** EINVAL with the ENAMETOOLONG wording, for components and paths over their byte limits. */
export function nameTooLong(path: string, hint: string): FsError {
  return new FsError('EINVAL', path, { reason: 'File name too long', hint })
}
