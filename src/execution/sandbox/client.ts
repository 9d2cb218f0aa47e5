/**
 * Tier 4's view of a Linux sandbox: one interface, two backends — sandboxd
 * (bubblewrap, local and CI) and `@cloudflare/sandbox` (containers, production).
 *
 * Paths are relative to the sandbox's work tree, which is the root `/` the
 * commands see (sandboxd binds it there; the Cloudflare adapter chroots into
 * it), `/`-separated, without `..`.
 * Methods throw `FabricError` (types/errors.ts) with a registry code; the executor turns
 * that into an ExecResult (executors never throw).
 */
import type { ExecResponse, Isolation, SandboxUsage, WorkDirEntry } from '../../../sandboxd/protocol'
import type { RunLimits } from '../../../types/execution'

export type { ExecResponse as SandboxExecOutcome, Isolation, WorkDirEntry } from '../../../sandboxd/protocol'

/** Which sandbox: one per agent of a tenant (or one for the tenant itself). */
export interface SandboxRef {
  tenantId: string
  sandboxId: string
}

export interface SandboxExecRequest {
  /** Run directly … */
  argv?: string[]
  /** … or through `/bin/sh -c`. */
  command?: string
  /** Relative to the work dir; '' is the work dir itself. */
  cwd: string
  env: Record<string, string>
  stdin?: Uint8Array
  timeoutMs: number
  /** Replaces the sandbox's isolation config for this and later runs; absent → the sandbox keeps its own. */
  isolation?: Isolation
  /** Run only if the work dir is still at this generation (sandboxd; WORKDIR_CHANGED otherwise, nothing ran). */
  ifGeneration?: string
  /** This run's CPU seconds and processes (the tenant's ceilings); absent → sandboxd's defaults. */
  limits?: RunLimits
}

/** A file's bytes as a stream, with its length. */
export interface FileBody {
  stream: ReadableStream<Uint8Array>
  size: number
}

/** A file to copy in: its bytes are opened only when its turn comes. */
export interface FileUpload {
  path: string
  size: number
  mtimeMs: number
  open(): Promise<ReadableStream<Uint8Array>>
}

/** Applied in this order: deletions, directories (then their modes), files. */
export interface WorkDirWrite {
  deletes: string[]
  mkdirs: string[]
  /** Permission bits per directory path. */
  modes: Record<string, number>
  files: FileUpload[]
}

/** sandboxd's usage report; `execs` (runs since the sandbox started) is null where the backend does not count them. */
export type SandboxUsageReport = Omit<SandboxUsage, 'execs'> & { execs: number | null }

export interface SandboxClient {
  readonly backend: 'sandboxd' | 'cloudflare'
  /** Resolves when the backend answers; throws TIER_UNAVAILABLE otherwise. */
  ping(timeoutMs: number): Promise<void>
  /** Creates the sandbox, or applies a new isolation config to it (idempotent). */
  create(ref: SandboxRef, isolation: Isolation): Promise<void>
  /** Stops it and deletes its work dir. */
  destroy(ref: SandboxRef): Promise<void>
  exec(ref: SandboxRef, request: SandboxExecRequest): Promise<ExecResponse>
  /** Every entry of the work dir; files carry sha256 where the backend computes it. */
  listFiles(ref: SandboxRef): Promise<WorkDirEntry[]>
  writeFiles(ref: SandboxRef, write: WorkDirWrite): Promise<void>
  /** Throws EFBIG above `maxBytes`. */
  readFile(ref: SandboxRef, path: string, maxBytes: number): Promise<FileBody>
  /** Sets files' mtimes (to fsx's, after a sync back), so the next sync sees them unchanged. */
  setMtimes(ref: SandboxRef, mtimes: Record<string, number>): Promise<void>
  usage(ref: SandboxRef): Promise<SandboxUsageReport>
}
