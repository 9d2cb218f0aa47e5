/**
 * Runs one launch argv under the rusage reaper: feeds stdin, collects capped
 * stdout/stderr (optionally streaming each chunk), enforces the wall-clock
 * timeout and reports exit code, signal, duration and resource usage.
 *
 * Timeout: SIGTERM to the reaper, which SIGKILLs the sandbox (bwrap's pid
 * namespace takes every process in it down) and still reports usage; if the
 * reaper has not finished after a grace period, the whole process group is
 * SIGKILLed.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { signalFromExitCode, type ResourceUsage } from '../protocol.ts'
import { CappedOutput } from './capped-output.ts'
import { readReaperReport } from './reaper-report.ts'

const REAPER = fileURLToPath(new URL('./rusage-reaper.pl', import.meta.url))
/** getrusage and prctl syscall numbers for the reaper; another architecture gets 0 (no usage figures). */
const SYSCALLS: Readonly<Record<string, [getrusage: number, prctl: number]>> = { x64: [98, 157], arm64: [165, 167] }
const [SYS_GETRUSAGE, SYS_PRCTL] = SYSCALLS[process.arch] ?? [0, 0]
/** How long the reaper gets to tear the sandbox down after SIGTERM before the group is SIGKILLed. */
const KILL_GRACE_MS = 2_000
/** Level `none` has no pid namespace: after the command exits, stragglers of its group are killed and this long awaited. */
const DRAIN_MS = 1_000

export type OutputStream = 'stdout' | 'stderr'

export interface RunSpec {
  perl: string
  argv: string[]
  env: Record<string, string>
  cwd: string
  /** Host fds handed to the child as fds 4, 5, … (the reaper uses 3). */
  inheritFds: number[]
  stdin: Buffer | null
  timeoutMs: number
  maxOutputBytes: number
  onOutput?: (stream: OutputStream, chunk: Buffer) => void
  /** Aborting kills the run like a timeout (e.g. the streaming client went away). */
  signal?: AbortSignal
}

export interface RunResult {
  exitCode: number
  signal: string | null
  stdout: CappedOutput
  stderr: CappedOutput
  timedOut: boolean
  durationMs: number
  usage: ResourceUsage | null
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // The group is already gone.
  }
}

export function runProcess(spec: RunSpec): Promise<RunResult> {
  const startedAt = performance.now()
  const child = spawn(spec.perl, [REAPER, String(SYS_GETRUSAGE), String(SYS_PRCTL), '--', ...spec.argv], {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe', ...spec.inheritFds],
  })
  const { stdin: input, stdout: outputPipe, stderr: errorPipe } = child
  if (!input || !outputPipe || !errorPipe) throw new Error('spawn did not create the stdio pipes')
  const stdout = new CappedOutput(spec.maxOutputBytes)
  const stderr = new CappedOutput(spec.maxOutputBytes)
  for (const [name, stream, sink] of [
    ['stdout', outputPipe, stdout],
    ['stderr', errorPipe, stderr],
  ] as const) {
    stream.on('data', (chunk: Buffer) => {
      // Streaming obeys the same cap as the collected output.
      const kept = sink.push(chunk)
      if (kept.length > 0) spec.onOutput?.(name, kept)
    })
  }
  const report = readReaperReport(child.stdio[3])

  // A command that does not read its stdin closes the pipe early; that is not an error.
  input.on('error', () => {})
  input.end(spec.stdin ?? undefined)

  let timedOut = false
  let graceTimer: NodeJS.Timeout | undefined
  const terminate = () => {
    if (graceTimer) return
    child.kill('SIGTERM')
    graceTimer = setTimeout(() => killGroup(child.pid), KILL_GRACE_MS)
  }
  const timeoutTimer = setTimeout(() => {
    timedOut = true
    terminate()
  }, spec.timeoutMs)
  spec.signal?.addEventListener('abort', terminate, { once: true })

  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(timeoutTimer)
      clearTimeout(graceTimer)
      reject(error)
    })
    child.on('exit', () => {
      // Stragglers in the process group (only possible at level `none`) must not hold the pipes open.
      killGroup(child.pid)
      setTimeout(() => {
        outputPipe.destroy()
        errorPipe.destroy()
      }, DRAIN_MS).unref()
    })
    child.on('close', async (code, signalName) => {
      clearTimeout(timeoutTimer)
      clearTimeout(graceTimer)
      spec.signal?.removeEventListener('abort', terminate)
      const reported = await report
      // Without the reaper's report (it was SIGKILLed), its own status is the best there is.
      const exitCode = reported.exitCode ?? code ?? (signalName ? 128 + 9 : 1)
      resolve({
        exitCode,
        signal: timedOut ? 'SIGKILL' : signalFromExitCode(exitCode),
        stdout,
        stderr,
        timedOut,
        durationMs: performance.now() - startedAt,
        usage: reported.usage,
      })
    })
  })
}
