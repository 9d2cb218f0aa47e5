/**
 * The wire format between the fabric and sandboxd, in one place.
 *
 * sandboxd parses request bodies with these schemas and the fabric's adapter
 * parses responses with them, so both ends agree by construction. This file
 * imports nothing but zod, which lets Node (type stripping) and the Worker
 * bundler both load it.
 */
import { z } from 'zod'

/** A tenant or sandbox name: one path segment, never `.`/`..`, never a separator. */
export const NameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/, "1-64 characters of A-Z, a-z, 0-9, '_' and '-'")

export const ISOLATION_LEVELS = ['none', 'process', 'container'] as const
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number]

/** Seed 001's IsolationConfig, with its defaults (512 MB, 1 core, no egress). */
export const IsolationSchema = z
  .object({
    level: z.enum(ISOLATION_LEVELS).default('container'),
    memoryMb: z.number().int().min(16).max(16_384).default(512),
    cpuCores: z.number().positive().max(256).default(1),
    /** Hosts the sandbox may reach through sandboxd's proxy: `host`, `host:port`, `*.host`, an IP. */
    networkEgress: z.array(z.string().min(1).max(253)).max(64).default([]),
  })
  .strict()
export type Isolation = z.infer<typeof IsolationSchema>

/** Per-exec limits on top of the sandbox's isolation config. */
export const LimitsSchema = z
  .object({
    memoryMb: z.number().int().min(16).max(16_384).optional(),
    cpuSeconds: z.number().int().min(1).max(3_600).default(60),
    maxProcesses: z.number().int().min(4).max(4_096).default(128),
    maxFileSizeMb: z.number().int().min(1).max(16_384).default(256),
    maxOutputBytes: z.number().int().min(1_024).max(64 * 1024 * 1024).default(1024 * 1024),
    tmpSizeMb: z.number().int().min(1).max(4_096).default(64),
  })
  .strict()
export type Limits = z.infer<typeof LimitsSchema>

const EnvNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name')

/** A path inside the work dir: relative, `/`-separated, no `..`, NUL or control characters. */
export const RelativePathSchema = z
  .string()
  .max(4_096)
  .refine((p) => !/[\u0000-\u001f\u007f]/.test(p), 'no NUL or control characters')
  .refine((p) => !p.split('/').some((part) => part === '..'), "no '..' segments")
  .transform((p) => p.split('/').filter((part) => part !== '' && part !== '.').join('/'))

export const ExecRequestSchema = z
  .object({
    /** Run this argv directly (no shell) … */
    argv: z.array(z.string().max(131_072)).min(1).max(4_096).optional(),
    /** … or this line with `/bin/sh -c`. */
    command: z.string().min(1).max(131_072).optional(),
    /** Working directory relative to the work dir (the sandbox's root). */
    cwd: RelativePathSchema.default(''),
    env: z.record(EnvNameSchema, z.string().max(131_072)).default({}),
    stdin: z.string().max(16 * 1024 * 1024).optional(),
    stdinBase64: z.string().max(22 * 1024 * 1024).optional(),
    timeoutMs: z.number().int().min(1).max(3_600_000).default(30_000),
    limits: LimitsSchema.default(LimitsSchema.parse({})),
    /** Replaces the sandbox's isolation config (as `PUT /v1/sandboxes/…` does) before running. */
    isolation: IsolationSchema.optional(),
    /** Answer with the work dir's manifest after the run (`GET …/files`), taken under the same lock. */
    manifest: z.boolean().default(false),
    /**
     * Run only if the work dir is still at this generation (the one a previous
     * answer reported): the caller synced against that manifest without listing
     * it again. Otherwise WORKDIR_CHANGED, and nothing runs.
     */
    ifGeneration: z.string().max(100).optional(),
  })
  .strict()
  .refine((r) => (r.argv === undefined) !== (r.command === undefined), {
    message: 'give exactly one of "argv" (run directly) or "command" (run with /bin/sh -c)',
  })
  .refine((r) => r.stdin === undefined || r.stdinBase64 === undefined, {
    message: 'give at most one of "stdin" and "stdinBase64"',
  })
export type ExecRequest = z.infer<typeof ExecRequestSchema>
export type ExecRequestInput = z.input<typeof ExecRequestSchema>

export const LIMIT_KINDS = ['memory', 'cpu', 'file-size', 'processes'] as const
export type LimitKind = (typeof LIMIT_KINDS)[number]

/** Signal numbers as Linux (x86_64 and aarch64 agree on these) reports them through exit code 128+n. */
const SIGNALS: Readonly<Record<number, string>> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
}

/** bwrap and `sh` both report a signal death as exit code 128+n. */
export function signalFromExitCode(exitCode: number): string | null {
  return exitCode > 128 ? (SIGNALS[exitCode - 128] ?? `SIG${exitCode - 128}`) : null
}

const STDERR_SIGNS: ReadonlyArray<[LimitKind, RegExp]> = [
  ['memory', /cannot allocate memory|memory exhausted|out of memory|MemoryError|bad_alloc|failed to reserve/i],
  ['processes', /resource temporarily unavailable|fork: retry|cannot fork|can't fork/i],
  ['file-size', /file too large|file size limit exceeded/i],
]

/**
 * Which limit a run hit (a command may survive hitting one, e.g. a script whose
 * `head` died of SIGXFSZ, so this is judged whatever the exit code). Signals
 * are exact (SIGXCPU, SIGXFSZ); running out of address space or processes only
 * shows as an allocation or fork error the program prints, so those are
 * recognised from its stderr — a heuristic, and documented as one.
 */
export function limitExceeded(run: { signal: string | null; stderr: string }): LimitKind | null {
  if (run.signal === 'SIGXCPU') return 'cpu'
  if (run.signal === 'SIGXFSZ') return 'file-size'
  for (const [kind, sign] of STDERR_SIGNS) if (sign.test(run.stderr)) return kind
  return null
}

export const ResourceUsageSchema = z.object({
  cpuUserMs: z.number(),
  cpuSystemMs: z.number(),
  maxRssKb: z.number(),
})
export type ResourceUsage = z.infer<typeof ResourceUsageSchema>

export const ENTRY_KINDS = ['file', 'directory', 'symlink', 'other'] as const
export const WorkDirEntrySchema = z.object({
  path: z.string(),
  kind: z.enum(ENTRY_KINDS),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  /** Files only. */
  sha256: z.string().optional(),
  /** Directories only: permission bits (fsx keeps a directory's mode). */
  mode: z.number().int().min(0).max(0o7777).optional(),
  /** Symlinks only: where the link points, and whether that stays inside the work dir. */
  target: z.string().optional(),
  targetInside: z.boolean().optional(),
})
export type WorkDirEntry = z.infer<typeof WorkDirEntrySchema>

export const ExecResponseSchema = z.object({
  exitCode: z.number().int(),
  /** Set when the process ended by a signal (shell convention: exit code 128+n). */
  signal: z.string().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  /** The exact stdout bytes when they are not valid UTF-8 (then `stdout` is a lossy decoding). */
  stdoutBase64: z.string().optional(),
  duration: z.number(),
  timedOut: z.boolean(),
  truncated: z.boolean(),
  /** Which rlimit the command ran into, when sandboxd can tell. */
  limitExceeded: z.enum(LIMIT_KINDS).nullable(),
  /** CPU time and peak RSS of every process of the run; null when the reaper could not report. */
  usage: ResourceUsageSchema.nullable(),
  level: z.enum(ISOLATION_LEVELS),
  /** The work dir's manifest right after the run, when the request asked for it (saves the sync a GET /files). */
  manifest: z.array(WorkDirEntrySchema).optional(),
  /** With `manifest`: the work dir's generation it describes; it changes with every run and every file API write. */
  generation: z.string().optional(),
})
export type ExecResponse = z.infer<typeof ExecResponseSchema>

export const SandboxResponseSchema = z.object({
  tenant: NameSchema,
  sandbox: NameSchema,
  isolation: IsolationSchema,
})
export type SandboxResponse = z.infer<typeof SandboxResponseSchema>

export const CreateSandboxRequestSchema = z.object({ isolation: IsolationSchema.optional() }).strict()


export const FileListResponseSchema = z.object({ entries: z.array(WorkDirEntrySchema) })

export const FileWrittenResponseSchema = z.object({
  path: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
})
export type FileWritten = z.infer<typeof FileWrittenResponseSchema>

/** Deletions first, then directories (and their modes), then mtimes: the order sandboxd applies them in. */
export const FileBatchRequestSchema = z
  .object({
    deletes: z.array(RelativePathSchema).max(100_000).default([]),
    mkdirs: z.array(RelativePathSchema).max(100_000).default([]),
    mtimes: z.record(z.string(), z.number().nonnegative()).default({}),
    /** Permission bits for directories of `mkdirs` (applied after they exist). */
    modes: z.record(z.string(), z.number().int().min(0).max(0o7777)).default({}),
  })
  .strict()
export type FileBatchRequest = z.input<typeof FileBatchRequestSchema>
export type FileBatch = z.infer<typeof FileBatchRequestSchema>

export const SandboxUsageSchema = z.object({
  execs: z.number().int().nonnegative(),
  cpuUserMs: z.number().nonnegative(),
  cpuSystemMs: z.number().nonnegative(),
  maxRssKb: z.number().nonnegative(),
  diskBytes: z.number().int().nonnegative(),
  files: z.number().int().nonnegative(),
})
export type SandboxUsage = z.infer<typeof SandboxUsageSchema>

export const HealthResponseSchema = z.object({
  ok: z.literal(true),
  version: z.string(),
  bubblewrap: z.object({
    available: z.boolean(),
    version: z.string().nullable(),
    /** Why isolated runs are refused on this host (bwrap missing or failing its startup self-test), or null. */
    problem: z.string().nullable(),
  }),
  levels: z.array(z.enum(ISOLATION_LEVELS)),
})
export type HealthResponse = z.infer<typeof HealthResponseSchema>

export const ErrorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
})

/** Server-sent events of `POST …/exec/stream`: output chunks as they come, then the result. */
export const STREAM_EVENTS = ['stdout', 'stderr', 'result', 'error'] as const
export type StreamEvent = (typeof STREAM_EVENTS)[number]
