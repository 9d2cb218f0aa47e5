/**
 * The execution contract shared by every tier (seed 002).
 *
 * Executors return an `ExecResult` and never throw: a failure is data with a
 * code from the registry in `errors.ts`, so the router can decide to retry, reroute or
 * surface it without try/catch at every call site.
 */
import type { ErrorCode } from './errors'
import type { IsolationConfig } from './fabric'

/** 1 native in-Worker, 2 RPC over service bindings, 3 dynamic modules, 4 Linux sandbox. */
export type ExecutionTier = 1 | 2 | 3 | 4

export interface ExecutionTierInfo {
  tier: ExecutionTier
  name: 'native' | 'rpc' | 'esm' | 'sandbox'
  description: string
  /** Rough per-call latency to expect, for documentation and routing hints. */
  typicalLatencyMs: number
  /** Whether code from the caller (not the fabric) may run on this tier. */
  runsUntrustedCode: boolean
}

export const EXECUTION_TIERS: Readonly<Record<ExecutionTier, ExecutionTierInfo>> = Object.freeze({
  1: {
    tier: 1,
    name: 'native',
    description: 'POSIX-like utilities and data ops in TypeScript inside the Worker, over fsx',
    typicalLatencyMs: 1,
    runsUntrustedCode: false,
  },
  2: {
    tier: 2,
    name: 'rpc',
    description: 'Typed RPC to other Workers over service bindings',
    typicalLatencyMs: 5,
    runsUntrustedCode: false,
  },
  3: {
    tier: 3,
    name: 'esm',
    description: 'User-supplied ESM/WASM modules in isolates created by the Worker Loader',
    typicalLatencyMs: 20,
    runsUntrustedCode: true,
  },
  4: {
    tier: 4,
    name: 'sandbox',
    description: 'Real processes in a Linux sandbox (@cloudflare/sandbox, or sandboxd locally)',
    typicalLatencyMs: 100,
    runsUntrustedCode: true,
  },
})


/** The route plan as a result and the WAL carry it (the plan without its cost model). */
export interface RouteRecord {
  mode: 'per-stage' | 'whole-line'
  tier: ExecutionTier
  why: string
  stages: Array<{ operation: string; tier: ExecutionTier; why: string; mayFallBackTo: ExecutionTier[]; estimateUsd: number }>
  estimateUsd: number
}

export interface ExecError {
  code: ErrorCode
  message: string
  retriable: boolean
  details?: Record<string, unknown>
  /** Kept for the logs, never returned to untrusted callers over HTTP. */
  stack?: string
}

export interface ExecResult<T = unknown> {
  ok: boolean
  tier: ExecutionTier
  operation: string
  exitCode: number
  stdout: string
  stderr: string
  value?: T
  error?: ExecError
  /** Milliseconds measured with performance.now() around the executor. */
  duration: number
  executionId: string
  traceId: string
  /** Tiers tried before the one that produced this result (fallback trail). */
  fallbackFrom?: ExecutionTier[]
  /** Lines a tier-3 module logged through ModuleContext.log. */
  logs?: string[]
  truncated?: boolean
  /**
   * A task's stored result: stdout/stderr over 64 KiB live in R2 and the row keeps these data
   * references (the stream itself is then ''); `GET /v1/tasks/:id` reads them back.
   */
  outputRefs?: Partial<Record<'stdout' | 'stderr', { ref: string; bytes: number }>>
  /**
   * Present only when stdout is not valid UTF-8 (binary output): the exact
   * bytes, base64. `stdout` then holds a lossy decoding. Pipes between shell
   * stages use it, so `base64 -d | sha256sum` sees the real bytes.
   */
  stdoutBase64?: string
  /** For a command line: every stage that ran, in order. */
  stages?: StageSummary[]
  /** How the call was routed before it ran: the route plan (src/execution/route-plan), kept in the WAL with the task's outcome. */
  route?: RouteRecord
}

export interface StageSummary {
  operation: string
  tier: ExecutionTier
  exitCode: number
  duration: number
}

export interface ExecOptions {
  /** Force a tier instead of detecting one. */
  tier?: ExecutionTier
  cwd?: string
  env?: Record<string, string>
  stdin?: string | Uint8Array
  timeoutMs?: number
  executionId?: string
  /** W3C traceparent of the caller; a new one is generated when absent. */
  traceparent?: string
  tenantId?: string
  agentId?: string
  signal?: AbortSignal
  /** Allow falling back to the next capable tier on a retriable failure (default true). */
  fallback?: boolean
  /** Tier 4: the agent's isolation config (seed 001 FR-ISO); absent → level container, 512 MB, 1 core, no egress. */
  isolation?: IsolationConfig
  /**
   * Tier 4: the tenant's ceilings for one run (CPU seconds, processes), sent to sandboxd as its
   * rlimits; absent → sandboxd's defaults. Asked only when a tier-4 run starts, so the runs of
   * other tiers never pay for reading them.
   */
  runLimits?: () => Promise<RunLimits>
  /**
   * Asked before a call moves to a dearer tier by fallback at run time (tier 1
   * answers NOT_SUPPORTED → tier 4): rejects with BUDGET_EXCEEDED when the
   * agent's remaining budget cannot pay the tier's estimate. Set by the agent.
   */
  spendCheck?: TierSpendCheck
}

export interface RunLimits {
  cpuSeconds: number
  maxProcesses: number
}

export type TierSpendCheck = (tier: ExecutionTier, estimateUsd: number) => Promise<void>

/** A stored dynamic module (tier 3). */
export interface ESMModule {
  name: string
  /** sha-256 of the code, hex. The Worker Loader isolate id is this hash. */
  hash: string
  kind: 'esm' | 'wasm'
  /** For WASM: the export that receives `args`. */
  entry?: string
  size: number
  createdAt: string
  /** Hosts the module may reach through the egress gateway; empty means none. */
  egress: string[]
  limits?: { cpuMs?: number; subRequests?: number; memoryMb?: number; wallMs?: number }
}

/** What a dynamic module's `run(ctx)` receives. */
export interface ModuleContext {
  args: unknown[]
  stdin: string
  tenantId: string
  agentId?: string
  executionId: string
  traceparent: string
  /** Lines logged here come back in `ExecResult.logs`. */
  log(...parts: unknown[]): void
  /** fsx scoped to the caller's tenant root, reached through an RPC stub. */
  fs: ModuleFileSystem
}

/** The subset of fsx a module may use (async, text or bytes). */
export interface ModuleFileSystem {
  read(path: string): Promise<string>
  readBytes(path: string): Promise<Uint8Array>
  write(path: string, data: string | Uint8Array): Promise<void>
  readdir(path: string): Promise<string[]>
  exists(path: string): Promise<boolean>
}

export interface ModuleResult<T = unknown> {
  value: T
  logs: string[]
  duration: number
}

export type FileType = 'file' | 'directory'

export interface FileStat {
  path: string
  type: FileType
  size: number
  /** Milliseconds since the epoch. */
  mtime: number
  mode: number
}

export interface DirEntry {
  name: string
  type: FileType
}

/** One file or directory of a `tree` listing: what `stat` says of it, at a path relative to the listed directory. */
export interface TreeEntry {
  /** Relative, without a leading '/': `src/a.ts`. */
  path: string
  type: FileType
  size: number
  /** Milliseconds since the epoch; 0 for a directory only implied by what is inside it. */
  mtime: number
  /** Absent for a directory policy lets its parent list but not itself be read (guardFileSystem). */
  mode?: number
}

export interface TreeListing {
  /** Sorted by path (code points). */
  entries: TreeEntry[]
  /** The directory holds more than the `maxEntries` asked for: `entries` is not all of it. */
  truncated: boolean
}

export interface WriteOptions {
  /** Create missing parent directories (mkdir -p) instead of failing with ENOENT. */
  parents?: boolean
  /** Exact byte length of a streamed body, when known: lets R2 store it without buffering. */
  size?: number
}

export interface MkdirOptions {
  recursive?: boolean
  mode?: number
}

export interface FileSystem {
  readonly backend: 'memory' | 'r2' | 'kv'
  read(path: string): Promise<Uint8Array>
  readText(path: string): Promise<string>
  /** Streams the file's bytes; backends that can stream (R2) do not buffer it whole. */
  readStream(path: string): Promise<ReadableStream<Uint8Array>>
  write(path: string, data: string | Uint8Array | ReadableStream<Uint8Array>, options?: WriteOptions): Promise<void>
  append(path: string, data: string | Uint8Array, options?: WriteOptions): Promise<void>
  stat(path: string): Promise<FileStat>
  readdir(path: string): Promise<DirEntry[]>
  /**
   * Everything under the directory `path` (not itself), as `readdir` and `stat` would find it walking down,
   * from one listing of the backend instead of a request per entry; at most `maxEntries` entries.
   */
  tree(path: string, maxEntries: number): Promise<TreeListing>
  /** `mode` (permission bits, e.g. 0o700) is kept for the new directory; the default is 0o755. */
  mkdir(path: string, options?: MkdirOptions): Promise<void>
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>
  rename(from: string, to: string): Promise<void>
  copy(from: string, to: string, options?: { recursive?: boolean }): Promise<void>
  exists(path: string): Promise<boolean>
  glob(pattern: string, options?: { cwd?: string }): Promise<string[]>
  /** The tree's disk quota in bytes, when it has one (the tenant's diskMb ceiling); writes over it fail DISK_QUOTA_EXCEEDED. */
  diskQuota?(): Promise<number | undefined>
}
