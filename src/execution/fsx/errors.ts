/**
 * The one error type fsx throws. Executors catch it and turn it into an
 * `ExecResult` with the same code, so the code must come from the shared
 * registry and the message must name the path exactly as the caller wrote it.
 */
import type { ErrorCode } from '../../../types/errors'
import { RESERVED_ROOT_NAMES, reservedRootOf } from '../../../types/sandbox-paths'

export type FsErrorCode = Extract<
  ErrorCode,
  'EINVAL' | 'EACCES' | 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'EFBIG' | 'RESERVED_PATH' | 'DISK_QUOTA_EXCEEDED'
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
  DISK_QUOTA_EXCEEDED: 'Disk quota exceeded',
  // What GNU tools print when they try to create something on tier 4's read-only system mounts.
  RESERVED_PATH: 'Read-only file system',
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

/** Refuses to create `resolved` (an absolute fsx path) under a directory tier 4 reserves for the system. */
export function refuseReserved(resolved: string, reportAs: string): void {
  const reserved = reservedRootOf(resolved)
  if (reserved === null) return
  throw new FsError('RESERVED_PATH', reportAs, {
    hint: `/${reserved} is one of the system directories tier 4 mounts over the tenant's root (${RESERVED_ROOT_NAMES.map((name) => `/${name}`).join(' ')}); keep tenant files elsewhere, e.g. /work${resolved}`,
  })
}
