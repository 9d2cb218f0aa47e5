/**
 * One agent's warm sandbox: a bubblewrap sandbox started once, with the
 * supervisor (supervisor.c) inside, that runs the agent's commands one at a
 * time over the frame protocol of supervisor-frames.ts.
 *
 * The supervisor enforces each command's timeout, rlimits and clean-up. As a
 * backstop sandboxd kills the whole sandbox when no exit report arrives
 * within the timeout plus a grace period (a stopped or killed supervisor);
 * a sandbox that died, or could not empty its /tmp, is not used again.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import type { Writable } from 'node:stream'
import { FabricError } from '../../types/errors.ts'
import { signalFromExitCode } from '../protocol.ts'
import type { Launch } from '../isolation/launch-argv.ts'
import { CappedOutput } from './capped-output.ts'
import type { OutputStream, RunResult } from './run-process.ts'
import {
  encodeFrame,
  encodeRun,
  FROM_SUPERVISOR,
  FrameReader,
  parseExit,
  STDIN_CHUNK_BYTES,
  TO_SUPERVISOR,
  type Frame,
  type RunFrame,
} from './supervisor-frames.ts'

/** How long past its timeout a run may go before the sandbox itself is killed. */
const BACKSTOP_GRACE_MS = 5_000
const START_TIMEOUT_MS = 10_000
/** Kept of the sandbox's own stderr (bwrap's and the supervisor's messages) for error reports. */
const DIAGNOSTIC_BYTES = 4_096

export interface WarmRunSpec extends RunFrame {
  stdin: Buffer | null
  maxOutputBytes: number
  onOutput?: (stream: OutputStream, chunk: Buffer) => void
  signal?: AbortSignal
}

interface ActiveRun {
  onFrame(frame: Frame): void
  onDeath(reason: string): void
}

export class WarmSandbox {
  /** The sandbox's shape (level, mounts, egress…): a run needing another shape gets a new sandbox. */
  readonly signature: string
  private readonly child: ChildProcess
  private readonly input: Writable
  private readonly reader = new FrameReader()
  private diagnostics = ''
  private active: ActiveRun | null = null
  private dead: string | null = null

  private constructor(child: ChildProcess, input: Writable, signature: string) {
    this.child = child
    this.input = input
    this.signature = signature
  }

  /** Starts the sandbox and waits for its supervisor's ready frame. */
  static start(launch: Launch, signature: string, inheritFds: number[]): Promise<WarmSandbox> {
    const [file = '', ...args] = launch.argv
    const child = spawn(file, args, { cwd: launch.cwd, env: launch.env, detached: true, stdio: ['pipe', 'pipe', 'pipe', 'ignore', ...inheritFds] })
    const { stdin, stdout, stderr } = child
    if (!stdin || !stdout || !stderr) throw new Error('spawn did not create the stdio pipes')
    const sandbox = new WarmSandbox(child, stdin, signature)
    stdin.on('error', () => {})
    stderr.on('data', (chunk: Buffer) => {
      sandbox.diagnostics = (sandbox.diagnostics + chunk.toString('utf8')).slice(-DIAGNOSTIC_BYTES)
    })
    return new Promise((resolve, reject) => {
      const failed = (reason: string) => {
        clearTimeout(timer)
        sandbox.close()
        reject(new FabricError('SANDBOX_ERROR', `the sandbox did not start: ${reason}`, { reason }))
      }
      const timer = setTimeout(() => failed(`no ready signal within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS)
      sandbox.active = {
        onFrame: (frame) => {
          if (frame.type !== FROM_SUPERVISOR.ready) return failed(`unexpected frame '${frame.type}' before ready`)
          clearTimeout(timer)
          sandbox.active = null
          resolve(sandbox)
        },
        onDeath: failed,
      }
      stdout.on('data', (chunk: Buffer) => sandbox.receive(chunk))
      child.on('error', (error) => sandbox.die(error.message))
      // 'close' (not 'exit'): stderr is read to the end, so bwrap's own message is in the reason.
      child.on('close', (code, signal) => sandbox.die(sandbox.diagnostics.trim() || `exited with ${signal ?? `code ${code}`}`))
    })
  }

  get alive(): boolean {
    return this.dead === null
  }

  /** Kills the sandbox: bwrap's pid namespace takes every process in it down. */
  close(): void {
    if (this.child.pid === undefined) return
    try {
      process.kill(-this.child.pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }

  private receive(chunk: Buffer): void {
    try {
      for (const frame of this.reader.push(chunk)) this.active?.onFrame(frame)
    } catch (error) {
      this.die((error as Error).message)
      this.close()
    }
  }

  private die(reason: string): void {
    if (this.dead !== null) return
    this.dead = reason
    this.active?.onDeath(reason)
  }

  /** Runs one command; the caller serialises runs (sandboxd's per-sandbox lock). */
  run(spec: WarmRunSpec): Promise<RunResult & { clean: boolean }> {
    if (this.dead !== null) return Promise.reject(new FabricError('SANDBOX_ERROR', `the warm sandbox is gone: ${this.dead}`))
    const startedAt = performance.now()
    const runFrame = encodeRun(spec)
    const stdout = new CappedOutput(spec.maxOutputBytes)
    const stderr = new CappedOutput(spec.maxOutputBytes)
    const send = (frame: Buffer) => this.input.write(frame)
    return new Promise((resolve, reject) => {
      const kill = () => send(encodeFrame(TO_SUPERVISOR.kill))
      const backstop = setTimeout(() => {
        this.die(`no exit report ${BACKSTOP_GRACE_MS} ms past the ${spec.timeoutMs} ms timeout`)
        this.close()
      }, spec.timeoutMs + BACKSTOP_GRACE_MS)
      const finish = () => {
        clearTimeout(backstop)
        spec.signal?.removeEventListener('abort', kill)
        this.active = null
      }
      this.active = {
        onFrame: ({ type, payload }) => {
          if (type === FROM_SUPERVISOR.stdout || type === FROM_SUPERVISOR.stderr) {
            const name: OutputStream = type === FROM_SUPERVISOR.stdout ? 'stdout' : 'stderr'
            // Streaming obeys the same cap as the collected output.
            const kept = (name === 'stdout' ? stdout : stderr).push(payload)
            if (kept.length > 0) spec.onOutput?.(name, kept)
            return
          }
          if (type !== FROM_SUPERVISOR.exit) return
          finish()
          const report = parseExit(payload)
          resolve({
            exitCode: report.exitCode,
            signal: report.timedOut ? 'SIGKILL' : signalFromExitCode(report.exitCode),
            stdout,
            stderr,
            timedOut: report.timedOut,
            durationMs: performance.now() - startedAt,
            usage: report.usage,
            clean: report.clean,
          })
        },
        onDeath: (reason) => {
          finish()
          reject(new FabricError('SANDBOX_ERROR', `the sandbox died during the run (${reason}); the next run starts a fresh one`, { reason }))
        },
      }
      spec.signal?.addEventListener('abort', kill, { once: true })
      send(runFrame)
      const stdin = spec.stdin ?? Buffer.alloc(0)
      for (let offset = 0; offset < stdin.length; offset += STDIN_CHUNK_BYTES) {
        send(encodeFrame(TO_SUPERVISOR.stdin, stdin.subarray(offset, offset + STDIN_CHUNK_BYTES)))
      }
      send(encodeFrame(TO_SUPERVISOR.stdinEnd))
    })
  }
}
