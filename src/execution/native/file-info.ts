/**
 * How ls -l, stat and du describe an fsx entry. fsx has no owners, links or
 * inodes: the owner is `fabric` (uid 1000), a file has 1 link and a
 * directory 2, and sizes and blocks are what ext4 would report (a directory
 * is one 4 KiB block), so tier 1 and tier 4 print the same `ls -l`. Times
 * are the fsx mtime.
 */
import type { FileStat } from '../../../types/execution'

export const OWNER = { name: 'fabric', id: 1000 }

/** `rw-r--r--`: the nine permission letters of a mode. */
export function permissionLetters(mode: number): string {
  let out = ''
  for (const shift of [6, 3, 0]) {
    const triple = (mode >> shift) & 7
    out += (triple & 4 ? 'r' : '-') + (triple & 2 ? 'w' : '-') + (triple & 1 ? 'x' : '-')
  }
  return out
}

/** `-rw-r--r--` / `drwxr-xr-x`. */
export function modeString(stat: FileStat): string {
  return (stat.type === 'directory' ? 'd' : '-') + permissionLetters(stat.mode)
}

export function linkCount(stat: FileStat): number {
  return stat.type === 'directory' ? 2 : 1
}

const BLOCK_BYTES = 4096

/** Bytes ls -l and stat %s show: a directory is one ext4 block. */
export function apparentSize(stat: FileStat): number {
  return stat.type === 'directory' ? BLOCK_BYTES : stat.size
}

/** 512-byte blocks allocated, rounding the size up to whole 4 KiB blocks. */
export function blocks512(stat: FileStat): number {
  return Math.ceil(apparentSize(stat) / BLOCK_BYTES) * 8
}

/** `regular file`, `regular empty file` or `directory`, as stat %F says. */
export function typeName(stat: FileStat): string {
  if (stat.type === 'directory') return 'directory'
  return stat.size === 0 ? 'regular empty file' : 'regular file'
}

/** `ls -h` and `du -h`: GNU's human_readable with ceiling rounding: `0`, `512`, `4.0K`, `12K`, `2.0M`. */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return String(bytes)
  const units = 'KMGTPEZY'
  let value = bytes
  let unit = -1
  do {
    value /= 1024
    unit++
  } while (value >= 1024 && unit < units.length - 1)
  if (value < 10) {
    const tenths = Math.ceil(value * 10 - 1e-9) / 10
    if (tenths < 10) return `${tenths.toFixed(1)}${units[unit]}`
    value = tenths
  }
  const whole = Math.ceil(value - 1e-9)
  if (whole >= 1024 && unit < units.length - 1) return `1.0${units[unit + 1]}`
  return `${whole}${units[unit]}`
}
