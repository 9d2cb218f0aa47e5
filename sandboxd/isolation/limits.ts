/**
 * Resource limits: from the sandbox's isolation config and the exec's limits
 * to concrete rlimits (applied with util-linux `prlimit` as the last step
 * before the command), and back from a finished run to the limit it hit.
 */
import type { Isolation, LimitKind, Limits } from '../protocol.ts'

const MB = 1024 * 1024

export interface ResolvedLimits {
  /** RLIMIT_AS: address space of each process (FR-ISO-2). */
  addressSpaceBytes: number
  /** RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL one second later. */
  cpuSeconds: number
  /** RLIMIT_NPROC: processes and threads of the sandbox's uid. */
  maxProcesses: number
  /** RLIMIT_FSIZE: the largest file a process may write (SIGXFSZ beyond). */
  maxFileBytes: number
  /** Per stream; output beyond it is read and discarded, and reported as truncated. */
  maxOutputBytes: number
  /** Size of the private tmpfs at /tmp. */
  tmpBytes: number
}

export function resolveLimits(isolation: Isolation, limits: Limits): ResolvedLimits {
  return {
    addressSpaceBytes: (limits.memoryMb ?? isolation.memoryMb) * MB,
    cpuSeconds: limits.cpuSeconds,
    maxProcesses: limits.maxProcesses,
    maxFileBytes: limits.maxFileSizeMb * MB,
    maxOutputBytes: limits.maxOutputBytes,
    tmpBytes: limits.tmpSizeMb * MB,
  }
}

/** `prlimit … --` prefix: hard and soft limits set together, core dumps off. */
export function prlimitArgv(prlimit: string, limits: ResolvedLimits): string[] {
  return [
    prlimit,
    `--as=${limits.addressSpaceBytes}`,
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
    `--nproc=${limits.maxProcesses}`,
    `--fsize=${limits.maxFileBytes}`,
    '--core=0',
    '--',
  ]
}

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
 * `head` died of SIGXFSZ, so this is reported whatever the exit code). Signals are exact (SIGXCPU, SIGXFSZ); running
 * out of address space or processes only shows as an allocation or fork error
 * that the program prints, so those are recognised from its stderr — a
 * heuristic, and documented as one.
 */
export function limitExceeded(run: { exitCode: number; signal: string | null; stderr: string }): LimitKind | null {
  if (run.signal === 'SIGXCPU') return 'cpu'
  if (run.signal === 'SIGXFSZ') return 'file-size'
  for (const [kind, sign] of STDERR_SIGNS) if (sign.test(run.stderr)) return kind
  return null
}
