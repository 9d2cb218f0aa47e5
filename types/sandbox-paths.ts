/**
 * One path space on every tier: a tenant path such as `/a.txt` is the same
 * file for tier 1 (fsx) and for a tier-4 program, because tier 4 binds the
 * agent's synced work tree as the sandbox's root. The sandbox still needs its
 * system directories at the top level; they are mounted read-only (or private
 * per run, /tmp) over that root, so these top-level names are reserved: fsx
 * refuses to create anything under them (RESERVED_PATH), the work-tree
 * manifest leaves them out, and readdir("/") inside the sandbox hides them.
 */
export const RESERVED_ROOT_NAMES: readonly string[] = Object.freeze([
  'bin',
  'dev',
  'etc',
  'lib',
  'lib32',
  'lib64',
  'libx32',
  'proc',
  'run',
  'sbin',
  'sys',
  'tmp',
  'usr',
])

const RESERVED = new Set(RESERVED_ROOT_NAMES)

/** The reserved top-level name a path lies under (`/usr/x` → `usr`), or null; accepts `/a/b` and `a/b`. */
export function reservedRootOf(path: string): string | null {
  const first = path.split('/').find((part) => part !== '')
  return first !== undefined && RESERVED.has(first) ? first : null
}
