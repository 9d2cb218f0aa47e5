/**
 * The work dir's manifest: every entry with its kind, size, mtime and, for
 * files, sha-256 — what the fabric compares to decide which files to sync.
 * The reserved top-level names (the system mount points bwrap leaves in the
 * tree, types/sandbox-paths.ts) are not the tenant's and are never listed.
 * Walking never follows symlinks; a symlink is listed with its target and
 * whether that target stays inside the work dir. Hashes are cached per inode,
 * size, mtime and ctime, so an unchanged file is not read again.
 */
import { createHash } from 'node:crypto'
import { createReadStream, type BigIntStats } from 'node:fs'
import { lstat, readdir, readlink, realpath } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { WorkDirEntry } from '../protocol.ts'
import { reservedRootOf } from '../../types/sandbox-paths.ts'

/** The names of a directory of the work tree that belong to the tenant (top level: without the reserved ones). */
async function tenantNames(workDir: string, relativeDir: string): Promise<string[]> {
  const names = await readdir(join(workDir, relativeDir))
  return relativeDir === '' ? names.filter((name) => reservedRootOf(name) === null) : names
}

export type HashCache = Map<string, { key: string; sha256: string }>

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * Whether a link stays in the tenant's tree as the sandbox sees it: the work
 * tree is the sandbox's root, so an absolute target is judged inside it (and
 * one under a reserved system directory is outside).
 */
async function symlinkTargetInside(workDir: string, linkPath: string, target: string): Promise<boolean> {
  const inside = (path: string) => path === workDir || path.startsWith(`${workDir}/`)
  if (target.startsWith('/')) return reservedRootOf(target) === null
  try {
    return inside(await realpath(linkPath))
  } catch {
    // Dangling: judge the target as written.
    return inside(resolve(dirname(linkPath), target))
  }
}

/** How many lstat calls one directory has in flight: libuv runs them on its thread pool, so they overlap. */
const LSTAT_BATCH = 64

/** The lstat of each path, in order, a batch at a time: a directory of a thousand entries is a few dozen round trips, not a thousand. */
async function lstatAll(paths: readonly string[]): Promise<BigIntStats[]> {
  const stats: BigIntStats[] = []
  for (let start = 0; start < paths.length; start += LSTAT_BATCH) {
    stats.push(...(await Promise.all(paths.slice(start, start + LSTAT_BATCH).map((path) => lstat(path, { bigint: true })))))
  }
  return stats
}

export async function listWorkDir(workDir: string, cache: HashCache): Promise<WorkDirEntry[]> {
  const entries: WorkDirEntry[] = []
  const seen = new Set<string>()
  const walk = async (relativeDir: string): Promise<void> => {
    const names = (await tenantNames(workDir, relativeDir)).sort()
    const relatives = names.map((name) => (relativeDir === '' ? name : `${relativeDir}/${name}`))
    const stats = await lstatAll(relatives.map((relative) => join(workDir, relative)))
    for (const [index, relative] of relatives.entries()) {
      const path = join(workDir, relative)
      const stat = stats[index] as BigIntStats
      // Nearest millisecond: mtimes set from fsx (integer ms) pass through floating-point seconds on the way in.
      const base = { path: relative, size: Number(stat.size), mtimeMs: Number((stat.mtimeNs + 500_000n) / 1_000_000n) }
      if (stat.isDirectory()) {
        entries.push({ ...base, kind: 'directory', size: 0, mode: Number(stat.mode & 0o7777n) })
        await walk(relative)
      } else if (stat.isFile()) {
        const key = `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`
        let cached = cache.get(relative)
        if (cached?.key !== key) {
          cached = { key, sha256: await sha256Of(path) }
          cache.set(relative, cached)
        }
        seen.add(relative)
        entries.push({ ...base, kind: 'file', sha256: cached.sha256 })
      } else if (stat.isSymbolicLink()) {
        const target = await readlink(path)
        entries.push({ ...base, kind: 'symlink', target, targetInside: await symlinkTargetInside(workDir, path, target) })
      } else {
        entries.push({ ...base, kind: 'other' })
      }
    }
  }
  await walk('')
  for (const path of cache.keys()) if (!seen.has(path)) cache.delete(path)
  return entries
}

/** Allocated bytes (blocks, not apparent sizes) and the number of entries, without following symlinks. */
export async function diskUsage(workDir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0
  let files = 0
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (dir === workDir && reservedRootOf(entry.name) !== null) continue
      const path = join(dir, entry.name)
      const stat = await lstat(path)
      bytes += stat.blocks * 512
      files += 1
      if (entry.isDirectory()) await walk(path)
    }
  }
  await walk(workDir)
  return { bytes, files }
}
