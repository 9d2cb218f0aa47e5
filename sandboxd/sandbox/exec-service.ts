/**
 * One exec, end to end: check the isolation level can be honoured here, run
 * the command in the agent's warm sandbox (started, or restarted, when there
 * is none of the right shape) — or, without a compiled supervisor or at level
 * `none`, in a fresh sandbox under the rusage reaper — and turn the run into
 * the wire response while adding its usage to the sandbox's totals.
 */
import { closeSync, openSync } from 'node:fs'
import { lstat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { LimitsSchema, limitExceeded, type ExecRequest, type ExecResponse, type IsolationLevel } from '../protocol.ts'
import { FabricError } from '../../types/errors.ts'
import { cpuList } from '../isolation/cpu-affinity.ts'
import { missingIsolationTools, type HostTools, type SystemMount } from '../isolation/host-tools.ts'
import { buildLaunch, buildWarmLaunch, commandEnv, sandboxedCommand, type LaunchTools, type SandboxFiles, type SandboxPlan } from '../isolation/launch-argv.ts'
import { resolveLimits, type ResolvedLimits } from '../isolation/limits.ts'
import { decodeOutput } from '../runner/capped-output.ts'
import { runProcess, type OutputStream, type RunResult } from '../runner/run-process.ts'
import { WarmSandbox } from '../runner/warm-sandbox.ts'
import { ensureRealParents, hostPath } from '../workdir/confined-path.ts'
import type { SandboxRegistry, SandboxState } from './registry.ts'

const FORWARDER = fileURLToPath(new URL('../egress/egress-forwarder.pl', import.meta.url))
/** fds 0-2 are stdio and 3 the reaper's report; the forwarder script is handed over as fd 4. */
const FORWARDER_FD = 4

export interface ExecEnvironment {
  tools: HostTools
  systemMounts: SystemMount[]
  sandboxFiles: SandboxFiles
  /** The compiled supervisor.c; null (no C compiler) runs each command in a fresh sandbox. */
  supervisor: string | null
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

/** What one run needs, whichever way it is launched. */
interface RunInput {
  tools: LaunchTools
  egress: boolean
  limits: ResolvedLimits
  request: ExecRequest
  command: string[]
  stdin: Buffer | null
  hooks: ExecHooks
}

export class ExecService {
  private readonly env: ExecEnvironment
  private rotation = 0

  constructor(env: ExecEnvironment) {
    this.env = env
  }

  /** Starts the agent's warm sandbox ahead of its first command (agent spawn, FR-LIFE-6). A no-op where there is none to start. */
  async warmUp(state: SandboxState): Promise<void> {
    const { level } = state.isolation
    if (this.env.supervisor === null || level === 'none' || this.env.isolationProblem !== null) return
    const tools = requireTools(this.env, level)
    const egress = await this.env.registry.syncEgress(state)
    await this.warmSandbox(state, tools, egress, resolveLimits(state.isolation, LimitsSchema.parse({})).tmpBytes)
  }

  async exec(state: SandboxState, request: ExecRequest, hooks: ExecHooks = {}): Promise<ExecResponse> {
    const { isolation } = state
    const tools = requireTools(this.env, isolation.level)
    await requireDirectory(state, request.cwd)
    const input: RunInput = {
      tools,
      egress: isolation.level !== 'none' && (await this.env.registry.syncEgress(state)),
      limits: resolveLimits(isolation, request.limits),
      request,
      command: request.argv ?? ['/bin/sh', '-c', request.command ?? ''],
      stdin: request.stdinBase64 !== undefined ? Buffer.from(request.stdinBase64, 'base64') : request.stdin !== undefined ? Buffer.from(request.stdin) : null,
      hooks,
    }
    const run = this.env.supervisor !== null && isolation.level !== 'none' ? await this.runWarm(state, input) : await this.runFresh(state, input)
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

  /** The sandbox's shape; each call takes the next rotation of cores. */
  private sandboxPlan(state: SandboxState, tools: LaunchTools, egress: boolean): Omit<SandboxPlan, 'tmpBytes'> {
    return {
      level: state.isolation.level,
      tools,
      sandboxUid: this.env.sandboxUid,
      dropPrivileges: this.env.runningAsRoot,
      cpuList: cpuList(state.isolation.cpuCores, availableParallelism(), this.rotation++),
      systemMounts: this.env.systemMounts,
      sandboxFiles: this.env.sandboxFiles,
      hostWorkDir: state.workDir,
      egress: egress ? { hostRunDir: state.runDir, forwarderFd: FORWARDER_FD } : null,
    }
  }

  /** The sandbox's warm sandbox if it is alive and of the shape asked for; otherwise a new one (the old one is killed). */
  private async warmSandbox(state: SandboxState, tools: LaunchTools, egress: boolean, tmpBytes: number): Promise<WarmSandbox> {
    const { level, cpuCores } = state.isolation
    const signature = JSON.stringify({ level, cpuCores, egress, tmpBytes })
    if (state.warm?.alive && state.warm.signature === signature) return state.warm
    this.env.registry.retireWarm(state)
    const supervisor = this.env.supervisor
    if (supervisor === null) throw new Error('warm sandboxes need the compiled supervisor')
    const inherit = egress ? [openSync(FORWARDER, 'r')] : []
    try {
      const launch = buildWarmLaunch({ ...this.sandboxPlan(state, tools, egress), tmpBytes }, supervisor)
      const warm = await WarmSandbox.start(launch, signature, inherit)
      this.env.registry.keepWarm(state, warm)
      return warm
    } finally {
      for (const fd of inherit) closeSync(fd)
    }
  }

  private async runWarm(state: SandboxState, input: RunInput): Promise<RunResult> {
    const { tools, egress, limits, request, command, stdin, hooks } = input
    const sandbox = await this.warmSandbox(state, tools, egress, limits.tmpBytes)
    this.env.registry.pauseIdle(state)
    const launchEgress = egress ? { hostRunDir: state.runDir, forwarderFd: FORWARDER_FD } : null
    try {
      const run = await sandbox.run({
        cwd: `/${request.cwd}`,
        argv: sandboxedCommand({ egress: launchEgress, tools, command }),
        env: commandEnv({ env: request.env, egress: launchEgress, level: state.isolation.level, hostWorkDir: state.workDir, sandboxFiles: this.env.sandboxFiles }),
        limits,
        timeoutMs: request.timeoutMs,
        stdin,
        maxOutputBytes: limits.maxOutputBytes,
        ...(hooks.onOutput ? { onOutput: hooks.onOutput } : {}),
        ...(hooks.signal ? { signal: hooks.signal } : {}),
      })
      // A sandbox whose /tmp could not be emptied would hand this run's files to the next: it goes.
      if (run.clean) this.env.registry.keepWarm(state, sandbox)
      else this.env.registry.retireWarm(state)
      return run
    } catch (error) {
      this.env.registry.retireWarm(state)
      throw error
    }
  }

  private async runFresh(state: SandboxState, input: RunInput): Promise<RunResult> {
    const { tools, egress, limits, request, command, stdin, hooks } = input
    const inherit = egress ? [openSync(FORWARDER, 'r')] : []
    const launch = buildLaunch({
      ...this.sandboxPlan(state, tools, egress),
      cwd: request.cwd,
      env: request.env,
      limits,
      command,
    })
    try {
      return await runProcess({
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
  }
}
