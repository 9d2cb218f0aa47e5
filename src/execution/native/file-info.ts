/**
 * How ls -l and stat describe an fsx entry. fsx has no owners, links or
 * inodes: the owner is `fabric` (uid 1000), a file has 1 link and a
 * directory 2, and blocks are counted as 4 KiB allocations (what ext4 would
 * report). Times are the fsx mtime.
 */
import type { FileStat } from '../../../types/execution'

export const OWNER = { name: 'fabric', id: 1000 }

/** `-rw-r--r--` / `drwxr-xr-x`. */
export function modeString(stat: FileStat): string {
  const bits = stat.mode & 0o777
  let out = stat.type === 'directory' ? 'd' : '-'
  for (const shift of [6, 3, 0]) {
    const triple = (bits >> shift) & 7
    out += (triple & 4 ? 'r' : '-') + (triple & 2 ? 'w' : '-') + (triple & 1 ? 'x' : '-')
  }
  return out
}

export function linkCount(stat: FileStat): number {
  return stat.type === 'directory' ? 2 : 1
}

/** 512-byte blocks allocated, rounding the size up to whole 4 KiB blocks. */
export function blocks512(stat: FileStat): number {
  return stat.type === 'directory' ? 0 : Math.ceil(stat.size / 4096) * 8
}

/** `regular file`, `regular empty file` or `directory`, as stat %F says. */
export function typeName(stat: FileStat): string {
  if (stat.type === 'directory') return 'directory'
  return stat.size === 0 ? 'regular empty file' : 'regular file'
}
