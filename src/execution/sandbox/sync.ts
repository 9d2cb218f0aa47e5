/**
 * fsx ↔ work dir, around every tier-4 run (plans in sync-plan.ts):
 *
 *   before: list fsx and the work dir, upload what differs (streamed, with
 *           fsx's mtime), delete what fsx no longer has → the baseline; when
 *           fsx still matches the manifest the last run returned, the work
 *           dir is not listed at all (the run is conditional on its generation);
 *   after:  list the work dir again, download what changed against the
 *           baseline into fsx (streamed, size-capped), mirror deletions and
 *           new directories, then stamp the work dir's copies with fsx's new
 *           mtimes so the next run uploads nothing for them.
 */
import type { FileSystem } from '../../../types/execution'
import { isFsError } from '../fsx/errors'
import { type SandboxClient, type SandboxRef, type WorkDirEntry } from './client'
import { FabricError } from '../../../types/errors'
import { planSyncBack, planSyncIn, type FsxEntry, type SkippedEntry, type SyncInPlan } from './sync-plan'

export interface SyncLimits {
  /** Largest file copied either way (EFBIG above). */
  maxFileBytes: number
  /** Most fsx entries mirrored into a work dir (RESOURCE_EXHAUSTED above). */
  maxEntries: number
}

export const DEFAULT_SYNC_LIMITS: SyncLimits = { maxFileBytes: 64 * 1024 * 1024, maxEntries: 10_000 }

export interface SyncBackReport {
  written: string[]
  deleted: string[]
  created: string[]
  skipped: SkippedEntry[]
}

const toFsx = (path: string) => `/${path}`

/** Refused by `fs:read:` policy (the fs is guarded): such a path is left out of the sandbox, not an error of the run. */
async function unlessRefused<T>(access: Promise<T>): Promise<T | undefined> {
  return access.catch((error: unknown) => {
    if (isFsError(error) && error.code === 'EACCES') return undefined
    throw error
  })
}

/**
 * Every file and directory under the fsx root that policy lets the run read, with sizes and mtimes, from
 * one listing of the backend (`FileSystem.tree`: a page per thousand keys on R2, not a request per entry).
 */
export async function listFsx(fs: FileSystem, maxEntries: number): Promise<FsxEntry[]> {
  const listing = await unlessRefused(fs.tree('/', maxEntries))
  if (!listing) return []
  if (listing.truncated) {
    throw new FabricError('RESOURCE_EXHAUSTED', `fsx holds more than ${maxEntries} entries; tier 4 mirrors at most that many into a work dir`, {
      maxEntries,
    })
  }
  return listing.entries.map((entry): FsxEntry =>
    entry.type === 'directory'
      ? { path: entry.path, kind: 'directory', size: 0, mtimeMs: 0, ...(entry.mode === undefined ? {} : { mode: entry.mode }) }
      : { path: entry.path, kind: 'file', size: entry.size, mtimeMs: entry.mtime },
  )
}

/** The work dir as a previous run left it, and the generation sandboxd reported for it. */
export interface KnownWorkDir {
  generation: string
  manifest: readonly WorkDirEntry[]
}

export interface SyncedIn {
  /** The manifest the run starts from. */
  baseline: readonly WorkDirEntry[]
  /** Set when the work dir was not listed (fsx matched `known`): the run must still be at this generation. */
  ifGeneration?: string
}

/**
 * Makes the work dir mirror fsx. Given how the last run left it (`known`)
 * and fsx still matches that, nothing is listed or copied: the run goes
 * ahead on condition that the work dir is still at that generation.
 */
export async function syncIn(fs: FileSystem, client: SandboxClient, ref: SandboxRef, limits: SyncLimits, known?: KnownWorkDir): Promise<SyncedIn> {
  if (known) {
    const fsx = await listFsx(fs, limits.maxEntries)
    if (isEmptyPlan(planSyncIn(fsx, known.manifest))) return { baseline: known.manifest, ifGeneration: known.generation }
    return { baseline: await mirror(fs, client, ref, limits, fsx, await client.listFiles(ref)) }
  }
  const [fsx, current] = await Promise.all([listFsx(fs, limits.maxEntries), client.listFiles(ref)])
  return { baseline: await mirror(fs, client, ref, limits, fsx, current) }
}

function isEmptyPlan(plan: SyncInPlan): boolean {
  return plan.deletes.length === 0 && plan.mkdirs.length === 0 && plan.uploads.length === 0 && Object.keys(plan.modes).length === 0
}

async function mirror(
  fs: FileSystem,
  client: SandboxClient,
  ref: SandboxRef,
  limits: SyncLimits,
  fsx: FsxEntry[],
  current: WorkDirEntry[],
): Promise<WorkDirEntry[]> {
  const plan = planSyncIn(fsx, current)
  if (isEmptyPlan(plan)) return current
  const tooBig = plan.uploads.find((file) => file.size > limits.maxFileBytes)
  if (tooBig) {
    throw new FabricError(
      'EFBIG',
      `'${toFsx(tooBig.path)}' is ${tooBig.size} bytes, over the ${limits.maxFileBytes}-byte limit for copying into the sandbox`,
      { path: toFsx(tooBig.path), size: tooBig.size, maxBytes: limits.maxFileBytes },
    )
  }
  const files = plan.uploads.map((file) => ({ ...file, open: () => fs.readStream(toFsx(file.path)) }))
  await client.writeFiles(ref, { deletes: plan.deletes, mkdirs: plan.mkdirs, modes: plan.modes, files })
  return client.listFiles(ref)
}

function skipFromError(path: string, error: unknown): SkippedEntry {
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message : String(error)
  return { path, code: code === 'EFBIG' ? 'EFBIG' : code === 'EACCES' ? 'EACCES' : 'EINVAL', message: `'${path}' was not synced back: ${message}` }
}

/**
 * The tenant tree's disk quota, checked on the whole tree the run left before anything is copied, so a
 * run over it syncs nothing back (rather than some files) and fails DISK_QUOTA_EXCEEDED naming the quota.
 */
async function refuseOverQuota(fs: FileSystem, after: readonly WorkDirEntry[]): Promise<void> {
  const quota = await fs.diskQuota?.()
  if (quota === undefined) return
  const total = after.reduce((sum, entry) => sum + (entry.kind === 'file' ? entry.size : 0), 0)
  if (total <= quota) return
  throw new FabricError(
    'DISK_QUOTA_EXCEEDED',
    `the run left ${total} bytes of files, over the tenant's disk quota of ${quota} bytes (ceiling diskMb), so nothing was synced back; write less, delete files, or ask an operator to raise diskMb (PUT /v1/tenants/:id/ceilings)`,
    { quota: 'diskMb', limit: quota, total },
  )
}

/** Copies what the run changed back into fsx. A file that cannot be copied is reported, never half-written. */
export async function syncBack(
  fs: FileSystem,
  client: SandboxClient,
  ref: SandboxRef,
  baseline: readonly WorkDirEntry[],
  limits: SyncLimits,
  /** The work dir after the run when the backend sent it with the result; listed here otherwise. */
  after?: readonly WorkDirEntry[],
): Promise<SyncBackReport> {
  const manifest = after ?? (await client.listFiles(ref))
  const plan = planSyncBack(baseline, manifest, limits.maxFileBytes)
  // Only copied files add bytes: a run that wrote nothing back cannot take the tree over its quota.
  if (plan.downloads.length > 0) await refuseOverQuota(fs, manifest)
  for (const path of plan.deletes) await fs.rm(toFsx(path), { recursive: true, force: true })
  for (const { path, mode } of plan.mkdirs) await fs.mkdir(toFsx(path), { recursive: true, ...(mode === undefined ? {} : { mode }) })
  const written: string[] = []
  const skipped = plan.skipped.map((skip) => ({ ...skip, path: toFsx(skip.path) }))
  const stamps: Record<string, number> = {}
  for (const file of plan.downloads) {
    try {
      const body = await client.readFile(ref, file.path, limits.maxFileBytes)
      await fs.write(toFsx(file.path), body.stream, { parents: true, size: body.size })
      stamps[file.path] = (await fs.stat(toFsx(file.path))).mtime
      written.push(toFsx(file.path))
    } catch (error) {
      skipped.push(skipFromError(toFsx(file.path), error))
    }
  }
  if (Object.keys(stamps).length > 0) await client.setMtimes(ref, stamps)
  return { written, deleted: plan.deletes.map(toFsx), created: plan.mkdirs.map(({ path }) => toFsx(path)), skipped }
}
