/**
 * One exec, end to end: check the isolation level can be honoured here, hand
 * the work dir (and egress socket) in as file descriptors, build the launch
 * argv, run it under the reaper, and turn the run into the wire response
 * while adding its usage to the sandbox's totals.
 */
import { closeSync, openSync } from 'node:fs'
import { lstat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { limitExceeded, type ExecRequest, type ExecResponse, type IsolationLevel } from '../protocol.ts'
import { FabricError } from '../../types/errors.ts'
import { cpuList } from '../isolation/cpu-affinity.ts'
import { missingIsolationTools, type HostTools, type SystemMount } from '../isolation/host-tools.ts'
import { buildLaunch, type LaunchTools } from '../isolation/launch-argv.ts'
import { resolveLimits } from '../isolation/limits.ts'
import { decodeOutput } from '../runner/capped-output.ts'
import { runProcess, type OutputStream } from '../runner/run-process.ts'
import { ensureRealParents, hostPath } from '../workdir/confined-path.ts'
import type { SandboxRegistry, SandboxState } from './registry.ts'

const FORWARDER = fileURLToPath(new URL('../egress/egress-forwarder.pl', import.meta.url))
/** fds 0-2 are stdio and 3 the reaper's report; the forwarder script is handed over as fd 4. */
const FORWARDER_FD = 4

export interface ExecEnvironment {
  tools: HostTools
  systemMounts: SystemMount[]
  registry: SandboxRegistry
  sandboxUid: number
  runningAsRoot: boolean
  allowUnisolated: boolean
  /** Set when the startup self-test of bwrap failed: isolated levels are refused with this reason. */
  isolationProblem: string | null
}

export interface ExecHooks {
  onOutput?: (stream: OutputStream, chunk: Buffer) => void
  signal?: AbortSignal
}

function requireTools(env: ExecEnvironment, level: IsolationLevel): LaunchTools {
  if (level === 'none' && !env.allowUnisolated) {
    throw new FabricError(
      'EACCES',
      "isolation level 'none' is disabled on this sandboxd: use 'process' or 'container', or start sandboxd with SANDBOXD_ALLOW_UNISOLATED=1",
    )
  }
  const missing = missingIsolationTools(env.tools).filter((tool) => !(level === 'none' && tool === 'bubblewrap'))
  const { bwrap, prlimit, setpriv, taskset, perl } = env.tools
  if (missing.length > 0 || !prlimit || !setpriv || !perl) {
    // Never fall back to running unisolated: refuse, and say how to fix the host.
    throw new FabricError(
      'TIER_UNAVAILABLE',
      `isolation level '${level}' needs ${missing.join(', ')}, which this host lacks: apt-get install -y ${missing.join(' ')}`,
      { missing },
    )
  }
  if (level !== 'none' && env.isolationProblem) {
    throw new FabricError('TIER_UNAVAILABLE', `isolation level '${level}' is unavailable here: ${env.isolationProblem}`)
  }
  return { bwrap: bwrap?.path ?? null, prlimit, setpriv, taskset, perl }
}

async function requireDirectory(state: SandboxState, cwd: string): Promise<void> {
  if (cwd === '') return
  await ensureRealParents(state.workDir, cwd, false, null)
  const stat = await lstat(hostPath(state.workDir, cwd)).catch(() => null)
  if (!stat?.isDirectory()) {
    throw new FabricError('ENOENT', `cwd '${cwd}' is not a directory in the work dir: create it first (files batch mkdirs)`, {
      cwd,
    })
  }
}

export class ExecService {
  private readonly env: ExecEnvironment
  private rotation = 0

  constructor(env: ExecEnvironment) {
    this.env = env
  }

  async exec(state: SandboxState, request: ExecRequest, hooks: ExecHooks = {}): Promise<ExecResponse> {
    const { isolation } = state
    const tools = requireTools(this.env, isolation.level)
    await requireDirectory(state, request.cwd)
    const egress = isolation.level !== 'none' && (await this.env.registry.syncEgress(state))
    const limits = resolveLimits(isolation, request.limits)
    const inherit = egress ? [openSync(FORWARDER, 'r')] : []
    const launch = buildLaunch({
      level: isolation.level,
      tools,
      sandboxUid: this.env.sandboxUid,
      dropPrivileges: this.env.runningAsRoot,
      cpuList: cpuList(isolation.cpuCores, availableParallelism(), this.rotation++),
      systemMounts: this.env.systemMounts,
      hostWorkDir: state.workDir,
      egress: egress ? { hostRunDir: state.runDir, forwarderFd: FORWARDER_FD } : null,
      cwd: request.cwd,
      env: request.env,
      limits,
      command: request.argv ?? ['/bin/sh', '-c', request.command ?? ''],
    })
    const stdin = request.stdinBase64 !== undefined ? Buffer.from(request.stdinBase64, 'base64') : request.stdin !== undefined ? Buffer.from(request.stdin) : null
    let run
    try {
      run = await runProcess({
        perl: tools.perl,
        argv: launch.argv,
        env: launch.env,
        cwd: launch.cwd,
        inheritFds: inherit,
        stdin,
        timeoutMs: request.timeoutMs,
        maxOutputBytes: limits.maxOutputBytes,
        ...(hooks.onOutput ? { onOutput: hooks.onOutput } : {}),
        ...(hooks.signal ? { signal: hooks.signal } : {}),
      })
    } finally {
      for (const fd of inherit) closeSync(fd)
    }
    const stdout = decodeOutput(run.stdout.bytes(), run.stdout.truncated)
    const stderr = decodeOutput(run.stderr.bytes(), run.stderr.truncated)
    if (run.usage) {
      state.usage.cpuUserMs += run.usage.cpuUserMs
      state.usage.cpuSystemMs += run.usage.cpuSystemMs
      state.usage.maxRssKb = Math.max(state.usage.maxRssKb, run.usage.maxRssKb)
    }
    state.usage.execs += 1
    return {
      exitCode: run.exitCode,
      signal: run.signal,
      stdout: stdout.text,
      ...(stdout.base64 !== undefined ? { stdoutBase64: stdout.base64 } : {}),
      stderr: stderr.text,
      duration: run.durationMs,
      timedOut: run.timedOut,
      truncated: run.stdout.truncated || run.stderr.truncated,
      limitExceeded: limitExceeded({ signal: run.signal, stderr: stderr.text }),
      usage: run.usage,
      level: isolation.level,
    }
  }
}
