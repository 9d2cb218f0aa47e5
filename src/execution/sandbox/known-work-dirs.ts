/**
 * How each sandbox's work dir was left by its last run here (the manifest and
 * generation sandboxd answered the exec with), so the next run can skip
 * listing it when fsx still matches (sync.ts). Kept per isolate and bounded:
 * a miss only costs the listing, and a stale entry is caught by sandboxd
 * (WORKDIR_CHANGED: nothing ran, the run is synced and sent again).
 */
import type { SandboxRef } from './client'
import type { KnownWorkDir } from './sync'

const MAX_SANDBOXES = 256
const known = new Map<string, KnownWorkDir>()

export function workDirKey(sandboxUrl: string, ref: SandboxRef): string {
  return `${sandboxUrl}\u0000${ref.tenantId}\u0000${ref.sandboxId}`
}

export function recallWorkDir(key: string): KnownWorkDir | undefined {
  return known.get(key)
}

export function rememberWorkDir(key: string, workDir: KnownWorkDir): void {
  known.delete(key)
  known.set(key, workDir)
  // Maps iterate in insertion order: the first key is the least recently remembered.
  if (known.size > MAX_SANDBOXES) known.delete(known.keys().next().value ?? key)
}

export function forgetWorkDir(key: string): void {
  known.delete(key)
}
