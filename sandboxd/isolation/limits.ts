/**
 * Resource limits: from the sandbox's isolation config and the exec's limits
 * to concrete rlimits, applied with util-linux `prlimit` as the last step
 * before the command. (Reading a finished run back to the limit it hit is
 * protocol.ts's `limitExceeded`, shared with the fabric.)
 */
import type { Isolation, Limits } from '../protocol.ts'

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
