/**
 * Paths inside a work dir, which the sandboxed uid controls. sandboxd may run
 * as root, so it never follows a symlink there: every parent of a path must
 * be a real directory (checked with lstat), the last component is opened with
 * O_NOFOLLOW, and an opened file's real path (/proc/self/fd) must still lie
 * inside the work dir. No sandboxed process of the same sandbox runs while
 * sandboxd touches its files (operations on a sandbox are serialised and a
 * finished run leaves no process behind), so nothing can swap a directory
 * for a symlink between the check and the use.
 */
import { chown, lstat, mkdir, readlink } from 'node:fs/promises'
import { join } from 'node:path'
import { FabricError } from '../../types/errors.ts'
import { fromFsError } from '../errors.ts'

/** The owner files get when sandboxd runs as root (the sandbox uid), or null to leave them as created. */
export type Owner = { uid: number; gid: number } | null

export function hostPath(workDir: string, relative: string): string {
  return relative === '' ? workDir : join(workDir, relative)
}

/**
 * Checks that every directory on the way to `relative` (not the last component)
 * is a real directory; with `create`, missing ones are made (and given `owner`).
 */
export async function ensureRealParents(workDir: string, relative: string, create: boolean, owner: Owner): Promise<void> {
  const parts = relative.split('/').slice(0, -1)
  let current = workDir
  for (const part of parts) {
    current = join(current, part)
    let stat
    try {
      stat = await lstat(current)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !create) throw fromFsError(error, relative)
      await mkdir(current, { mode: 0o755 })
      if (owner) await chown(current, owner.uid, owner.gid)
      continue
    }
    if (stat.isSymbolicLink()) {
      throw new FabricError('EACCES', `'${relative}' passes through a symlink; sandboxd never follows symlinks in the work dir`, {
        path: relative,
      })
    }
    if (!stat.isDirectory()) throw new FabricError('ENOTDIR', `a parent of '${relative}' is not a directory`, { path: relative })
  }
}

/** Defence in depth after an O_NOFOLLOW open: the file really is inside the work dir. */
export async function assertOpenedInside(fd: number, workDir: string, relative: string): Promise<void> {
  const real = await readlink(`/proc/self/fd/${fd}`)
  if (!real.startsWith(`${workDir}/`)) {
    throw new FabricError('EACCES', `'${relative}' resolves outside the work dir`, { path: relative })
  }
}
