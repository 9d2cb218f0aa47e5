/**
 * What to copy between fsx and a sandbox's work dir, decided by comparing
 * manifests — pure functions, no I/O.
 *
 * In: the work dir is made to mirror fsx. A file is uploaded when the work
 * dir lacks it or its size or mtime differ (uploads carry fsx's mtime, so an
 * unchanged file matches next time); entries fsx does not have are deleted.
 *
 * Back: after the run, a file differs from the baseline (the work dir right
 * before the run) when its sha-256 changed — or, where the backend lists no
 * hashes, its size or mtime. Directories carry their mode both ways. fsx has
 * no symlinks or special files: one left by the run is never followed and is
 * refused EACCES naming its path (the run's result says so; nothing is
 * dropped silently).
 */
import type { WorkDirEntry } from './client'

export interface FsxEntry {
  /** Relative to the fsx root, without a leading `/`. */
  path: string
  kind: 'file' | 'directory'
  size: number
  mtimeMs: number
  /** Directories: the mode fsx keeps. */
  mode?: number
}

export interface SyncInPlan {
  deletes: string[]
  mkdirs: string[]
  /** Directory modes to set (new directories, and ones whose mode differs). */
  modes: Record<string, number>
  uploads: FsxEntry[]
}

export type SkipCode = 'EACCES' | 'EINVAL' | 'EFBIG'

export interface SkippedEntry {
  path: string
  code: SkipCode
  message: string
}

export interface SyncBackPlan {
  deletes: string[]
  /** New directories, parents first, with the mode the run gave each. */
  mkdirs: Array<{ path: string; mode: number | undefined }>
  downloads: WorkDirEntry[]
  skipped: SkippedEntry[]
}

function byPath<T extends { path: string }>(entries: readonly T[]): Map<string, T> {
  return new Map(entries.map((entry) => [entry.path, entry]))
}

/** Drops paths inside another listed path: deleting `a` already deletes `a/b`. */
function topMost(paths: string[]): string[] {
  const sorted = [...paths].sort()
  const kept: string[] = []
  for (const path of sorted) {
    if (!kept.some((parent) => path.startsWith(`${parent}/`))) kept.push(path)
  }
  return kept
}

/** mtimes are compared at millisecond precision (fsx stores milliseconds). */
function sameStamp(a: { size: number; mtimeMs: number }, b: { size: number; mtimeMs: number }): boolean {
  return a.size === b.size && Math.floor(a.mtimeMs) === Math.floor(b.mtimeMs)
}

export function planSyncIn(fsx: readonly FsxEntry[], workDir: readonly WorkDirEntry[]): SyncInPlan {
  const wanted = byPath(fsx)
  const deletes = workDir.filter((entry) => wanted.get(entry.path)?.kind !== entry.kind).map((entry) => entry.path)
  const gone = new Set(deletes)
  const present = byPath(workDir.filter((entry) => !gone.has(entry.path)))
  const mkdirs = fsx.filter((entry) => entry.kind === 'directory' && !present.has(entry.path)).map((entry) => entry.path)
  const modes: Record<string, number> = {}
  for (const entry of fsx) {
    if (entry.kind === 'directory' && entry.mode !== undefined && present.get(entry.path)?.mode !== entry.mode) modes[entry.path] = entry.mode
  }
  const uploads = fsx.filter((entry) => {
    if (entry.kind !== 'file') return false
    const current = present.get(entry.path)
    return !current || !sameStamp(current, entry)
  })
  return { deletes: topMost(deletes), mkdirs: mkdirs.sort(), modes, uploads }
}

function fileChanged(before: WorkDirEntry | undefined, after: WorkDirEntry): boolean {
  if (before?.kind !== 'file') return true
  if (before.sha256 !== undefined && after.sha256 !== undefined) return before.sha256 !== after.sha256
  return !sameStamp(before, after)
}

function skipFor(entry: WorkDirEntry, maxFileBytes: number): SkippedEntry | null {
  const shown = `/${entry.path}`
  if (entry.kind === 'symlink') {
    return entry.targetInside
      ? {
          path: entry.path,
          code: 'EACCES',
          message: `'${shown}' is a symlink to '${entry.target ?? '?'}'; fsx has no symlinks, so it was not synced back (copy the file instead)`,
        }
      : {
          path: entry.path,
          code: 'EACCES',
          message: `'${shown}' is a symlink to '${entry.target ?? '?'}', outside the work dir; it was not followed or synced back`,
        }
  }
  if (entry.kind === 'other') {
    return {
      path: entry.path,
      code: 'EACCES',
      message: `'${shown}' is not a regular file or directory (a fifo, socket or device); fsx cannot hold it, so it was not synced back`,
    }
  }
  if (entry.kind === 'file' && entry.size > maxFileBytes) {
    return {
      path: entry.path,
      code: 'EFBIG',
      message: `'${shown}' is ${entry.size} bytes, over the ${maxFileBytes}-byte sync limit; it was not synced back`,
    }
  }
  return null
}

export function planSyncBack(baseline: readonly WorkDirEntry[], after: readonly WorkDirEntry[], maxFileBytes: number): SyncBackPlan {
  const before = byPath(baseline)
  const now = byPath(after)
  const deletes = baseline
    .filter((entry) => (entry.kind === 'file' || entry.kind === 'directory') && now.get(entry.path)?.kind !== entry.kind)
    .map((entry) => entry.path)
  const mkdirs: SyncBackPlan['mkdirs'] = []
  const downloads: WorkDirEntry[] = []
  const skipped: SkippedEntry[] = []
  for (const entry of after) {
    const previous = before.get(entry.path)
    if (entry.kind === 'directory') {
      if (previous?.kind !== 'directory') mkdirs.push({ path: entry.path, mode: entry.mode })
      continue
    }
    if (entry.kind === 'file' && !fileChanged(previous, entry)) continue
    const skip = skipFor(entry, maxFileBytes)
    if (skip) skipped.push(skip)
    else downloads.push(entry)
  }
  return { deletes: topMost(deletes), mkdirs, downloads, skipped }
}
