/**
 * Node's filesystem errors as sandboxd answers them. sandboxd raises the
 * fabric's own FabricError with codes and statuses from the one registry
 * (types/errors.ts); the HTTP layer turns them into `{error: {code, message}}`.
 */
import { FabricError } from '../types/errors.ts'

/** Node's filesystem errors (ENOENT, ENOTDIR, …) as FabricErrors about a work-dir path. */
export function fromFsError(error: unknown, path: string): FabricError {
  if (error instanceof FabricError) return error
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  switch (code) {
    case 'ENOENT':
      return new FabricError('ENOENT', `'${path}' does not exist in the work dir`, { path })
    case 'ENOTDIR':
      return new FabricError('ENOTDIR', `a parent of '${path}' is not a directory`, { path })
    case 'EISDIR':
      return new FabricError('EISDIR', `'${path}' is a directory`, { path })
    case 'ELOOP':
      return new FabricError('EACCES', `'${path}' is a symlink; sandboxd never follows symlinks in the work dir`, { path })
    default:
      return new FabricError('SANDBOX_ERROR', `file operation on '${path}' failed: ${String((error as Error)?.message ?? error)}`, { path })
  }
}
