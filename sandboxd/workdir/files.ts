/**
 * File operations on a work dir for the sync with fsx: write a file from a
 * byte stream (binary-safe, size-capped, with the mtime fsx has), open one for
 * reading, and apply a batch of deletions, directories and mtimes. All of them
 * go through confined-path's rules: no symlink is ever followed.
 */
import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, mkdir, open, rm, chown, type FileHandle } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { FabricError } from '../../types/errors.ts'
import { fromFsError } from '../errors.ts'
import type { FileBatch, FileWritten } from '../protocol.ts'
import { assertOpenedInside, ensureRealParents, hostPath, type Owner } from './confined-path.ts'

/** Whatever is at `relative` goes (a file, a symlink — not its target — or a whole directory). */
async function removeEntry(workDir: string, relative: string): Promise<void> {
  await rm(hostPath(workDir, relative), { recursive: true, force: true })
}

async function openNoFollow(workDir: string, relative: string, flags: number, mode?: number): Promise<FileHandle> {
  try {
    const handle = await open(hostPath(workDir, relative), flags | constants.O_NOFOLLOW, mode)
    await assertOpenedInside(handle.fd, workDir, relative).catch(async (error) => {
      await handle.close()
      throw error
    })
    return handle
  } catch (error) {
    throw fromFsError(error, relative)
  }
}

export async function writeFileFrom(
  workDir: string,
  relative: string,
  body: Readable,
  options: { maxBytes: number; mtimeMs: number | null; owner: Owner },
): Promise<FileWritten> {
  if (relative === '') throw new FabricError('EISDIR', 'the work dir itself is not a file')
  await ensureRealParents(workDir, relative, true, options.owner)
  const existing = await lstat(hostPath(workDir, relative)).catch(() => null)
  // fsx is the source of truth: a symlink, directory or hard link in the file's place is
  // replaced, never written through (a hard link could share its inode with a file elsewhere).
  if (existing && (!existing.isFile() || existing.nlink > 1)) await removeEntry(workDir, relative)
  const handle = await openNoFollow(workDir, relative, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o644)
  const hash = createHash('sha256')
  let size = 0
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > options.maxBytes) {
        throw new FabricError('EFBIG', `'${relative}' is larger than sandboxd's ${options.maxBytes}-byte file limit`, {
          path: relative,
          maxBytes: options.maxBytes,
        })
      }
      hash.update(chunk)
      await handle.write(chunk)
    }
    if (options.owner) await handle.chown(options.owner.uid, options.owner.gid)
    if (options.mtimeMs !== null) await handle.utimes(new Date(), new Date(options.mtimeMs))
  } catch (error) {
    await handle.close()
    await removeEntry(workDir, relative)
    throw error
  }
  await handle.close()
  return { path: relative, size, sha256: hash.digest('hex') }
}

/** An open regular file of the work dir, for streaming out. */
export async function openForRead(workDir: string, relative: string): Promise<{ handle: FileHandle; size: number }> {
  await ensureRealParents(workDir, relative, false, null)
  const handle = await openNoFollow(workDir, relative, constants.O_RDONLY)
  const stat = await handle.stat()
  if (!stat.isFile()) {
    await handle.close()
    throw new FabricError('EISDIR', `'${relative}' is not a regular file`, { path: relative })
  }
  return { handle, size: stat.size }
}

export async function applyBatch(workDir: string, batch: FileBatch, owner: Owner): Promise<void> {
  for (const relative of batch.deletes) {
    if (relative === '') throw new FabricError('EINVAL', 'the work dir itself cannot be deleted; destroy the sandbox instead')
    await ensureRealParents(workDir, relative, false, null).catch((error) => {
      // A path whose parent is already gone needs no deleting.
      if (!(error instanceof FabricError && error.code === 'ENOENT')) throw error
    })
    await removeEntry(workDir, relative)
  }
  for (const relative of batch.mkdirs) {
    if (relative === '') continue
    await ensureRealParents(workDir, relative, true, owner)
    const existing = await lstat(hostPath(workDir, relative)).catch(() => null)
    if (existing?.isDirectory()) continue
    if (existing) await removeEntry(workDir, relative)
    await mkdir(hostPath(workDir, relative), { mode: 0o755 })
    if (owner) await chown(hostPath(workDir, relative), owner.uid, owner.gid)
  }
  for (const [relative, mtimeMs] of Object.entries(batch.mtimes)) {
    await ensureRealParents(workDir, relative, false, null)
    const handle = await openNoFollow(workDir, relative, constants.O_RDONLY)
    try {
      await handle.utimes(new Date(), new Date(mtimeMs))
    } finally {
      await handle.close()
    }
  }
}
