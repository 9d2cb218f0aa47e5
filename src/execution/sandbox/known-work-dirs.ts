/**
 * How each sandbox's work dir was left by its last run here (the manifest and
 * generation sandboxd answered the exec with), so the next run can skip
 * listing it when fsx still matches (sync.ts). Kept per isolate and bounded:
 * a miss only costs the listing, and a stale entry is caught by sandboxd
 * (WORKDIR_CHANGED: nothing ran, the run is synced and sent again).
 */
import { RecentValues } from '../../core/recent-values'
import type { SandboxRef } from './client'
import type { KnownWorkDir } from './sync'

const known = new RecentValues<KnownWorkDir>(256)

export function workDirKey(sandboxUrl: string, ref: SandboxRef): string {
  return `${sandboxUrl}\u0000${ref.tenantId}\u0000${ref.sandboxId}`
}

export function recallWorkDir(key: string): KnownWorkDir | undefined {
  return known.get(key)
}

export function rememberWorkDir(key: string, workDir: KnownWorkDir): void {
  known.set(key, workDir)
}

export function forgetWorkDir(key: string): void {
  known.delete(key)
}
