/**
 * What this host offers for isolation, probed once at startup: bubblewrap (the
 * namespaces), util-linux's prlimit/setpriv/taskset (rlimits, dropping root,
 * CPU affinity) and perl (the rusage reaper), plus the layout of the system
 * directories the sandbox mounts read-only.
 */
import { spawnSync } from 'node:child_process'
import { lstatSync, readlinkSync } from 'node:fs'

export interface HostTools {
  bwrap: { path: string; version: string } | null
  prlimit: string | null
  setpriv: string | null
  taskset: string | null
  perl: string | null
}

/** How one top-level system directory appears inside the sandbox. */
export type SystemMount = { kind: 'ro-bind'; path: string } | { kind: 'symlink'; path: string; target: string }

/** Read-only system directories. The host's home, /root, /var, /run and the fabric's files are never among them. */
const SYSTEM_DIRS = ['/usr', '/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'] as const

function which(command: string): string | null {
  const found = spawnSync('/bin/sh', ['-c', `command -v ${command}`], { encoding: 'utf8' })
  const path = found.stdout.trim()
  return found.status === 0 && path.startsWith('/') ? path : null
}

export function probeHostTools(): HostTools {
  const bwrapPath = which('bwrap')
  let bwrap: HostTools['bwrap'] = null
  if (bwrapPath) {
    const version = spawnSync(bwrapPath, ['--version'], { encoding: 'utf8' })
    bwrap = { path: bwrapPath, version: version.stdout.trim().replace(/^bubblewrap\s+/, '') || 'unknown' }
  }
  return { bwrap, prlimit: which('prlimit'), setpriv: which('setpriv'), taskset: which('taskset'), perl: which('perl') }
}

/** Tools an isolated run cannot do without, with the Debian package that provides each. */
export function missingIsolationTools(tools: HostTools): string[] {
  const missing: string[] = []
  if (!tools.bwrap) missing.push('bubblewrap')
  if (!tools.prlimit || !tools.setpriv) missing.push('util-linux')
  if (!tools.perl) missing.push('perl-base')
  return missing
}

/** Merged-/usr hosts have /bin → usr/bin symlinks; older ones have real directories. Mirror either. */
export function probeSystemMounts(): SystemMount[] {
  const mounts: SystemMount[] = []
  for (const path of SYSTEM_DIRS) {
    try {
      const stat = lstatSync(path)
      if (stat.isSymbolicLink()) mounts.push({ kind: 'symlink', path, target: readlinkSync(path) })
      else if (stat.isDirectory()) mounts.push({ kind: 'ro-bind', path })
    } catch {
      // Absent on this host (e.g. /lib32): nothing to mount.
    }
  }
  return mounts
}
