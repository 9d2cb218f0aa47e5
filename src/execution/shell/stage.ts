/**
 * A command that is neither a function nor a builtin: one stage. When the
 * caller gives `streamStage` and it takes the command (a tier-1 utility),
 * the utility runs over the command's own streams — it reads as much of the
 * shell's stdin as it needs, and writes straight to the next stage's pipe.
 * Otherwise the stage is handed to the caller's `runStage` (the tier router
 * picks its tier) with the rest of stdin, read whole, and its output is
 * written to the command's sinks when it returns. A stage stopped by a
 * deadline or cancellation ends the whole line.
 */
import type { ExecResult, ExecutionTier } from '../../../types/execution'
import { base64ToBytes } from '../native/base64-codec'
import { InputTooLarge, type ByteReader, type ByteSink } from '../native/stream'
import { encodeUtf8 } from '../native/text'
import type { FileSystem } from '../../../types/execution'
import { LineAborted } from './control'
import type { IO } from './io'
import type { Shell } from './interpreter'

export interface StageIO {
  stdin: Uint8Array
  cwd: string
  env: Record<string, string>
}

export type RunStage = (operation: string, args: string[], io: StageIO) => Promise<ExecResult>

export interface StreamStageIO {
  stdin: ByteReader
  stdout: ByteSink
  stderr: ByteSink
  cwd: string
  env: Record<string, string>
  signal: AbortSignal
  /** What is left of the line's time. */
  timeoutMs: number
}

/** Runs a stage over streams, or returns undefined when the stage must go through `runStage`. */
export type StreamStage = (operation: string, args: string[], io: StreamStageIO) => Promise<ExecResult> | undefined

export interface ShellDeps {
  runStage: RunStage
  /** Tier-1 utilities over the stage's streams (pipelines then stream end to end). */
  streamStage?: StreamStage
  /** fsx of the caller, for redirections and globbing. */
  fs: FileSystem
  cwd?: string
  env?: Record<string, string>
  /** The shell's stdin. */
  stdin?: string | Uint8Array
  executionId?: string
  /** Trace id for the result; derived from `traceparent` when absent. */
  traceId?: string
  traceparent?: string
  signal?: AbortSignal
  /** The line's deadline (default 30 s). */
  timeoutMs?: number
  /** The tier the request pins; tier 4 sends the whole line to the sandbox (planLine). */
  pinnedTier?: ExecutionTier
}

/** The status bash gives a command it cannot find. */
export const NOT_FOUND_STATUS = 127

export function stdoutBytes(result: ExecResult): Uint8Array {
  const exact = result.stdoutBase64 === undefined ? undefined : base64ToBytes(result.stdoutBase64)
  return exact ?? encodeUtf8(result.stdout)
}

/** Whether a stage's output was cut at its cap (its bytes are a prefix, not the whole). */
export class StageTruncated extends Error {
  override readonly name = 'StageTruncated'
  constructor(readonly operation: string) {
    super(`${operation}: output stopped at its cap`)
  }
}

/** Stage failures that end the line: the deadline, the caller, and a fallback the budget could not pay (nothing after it runs). */
const ABORTING: ReadonlySet<string> = new Set(['TIMEOUT', 'CANCELLED', 'BUDGET_EXCEEDED'])

/** Counts what a stage wrote, so a stage that failed before writing anything can still be re-run elsewhere. */
function watched(sink: ByteSink): ByteSink & { wrote: boolean } {
  const watcher = {
    wrote: false,
    write: (data: string | Uint8Array) => {
      if (data.length > 0) watcher.wrote = true
      sink.write(data)
    },
    drain: () => sink.drain(),
  }
  return watcher
}

/** The stage over its streams; undefined when it goes through the router (not tier 1, or refused before it read or wrote). */
async function streamed(shell: Shell, name: string, args: string[], env: Record<string, string>, io: IO): Promise<ExecResult | undefined> {
  const reads = io.stdin.reads
  const stdout = watched(io.stdout)
  const stderr = watched(io.stderr)
  const timeoutMs = Math.max(1, shell.line.endsAt - Date.now())
  const running = shell.line.deps.streamStage?.(name, args, { stdin: io.stdin, stdout, stderr, cwd: shell.cwd, env, signal: shell.line.signal, timeoutMs })
  if (!running) return undefined
  const result = await running
  const untouched = io.stdin.reads === reads && !stdout.wrote && !stderr.wrote
  return result.error?.code === 'NOT_SUPPORTED' && untouched ? undefined : result
}

/** The stage through the caller's router, with the rest of stdin read whole (capped loudly). */
async function routed(shell: Shell, name: string, args: string[], env: Record<string, string>, io: IO): Promise<ExecResult> {
  let stdin: Uint8Array
  try {
    stdin = await io.stdin.readAll()
  } catch (thrown) {
    if (!(thrown instanceof InputTooLarge)) throw thrown
    return shell.abort('RESOURCE_EXHAUSTED', `${name}: ${thrown.message}; narrow its input (head, grep) or run the line on tier 4`)
  }
  const result = await shell.line.deps.runStage(name, args, { stdin, cwd: shell.cwd, env })
  if (ABORTING.has(result.error?.code ?? '')) return result
  // Stages return their streams apart, so their interleaving is lost: stdout first, as before.
  io.stdout.write(stdoutBytes(result))
  io.stderr.write(result.stderr)
  return result
}

export async function runExternal(shell: Shell, name: string, args: string[], prefix: ReadonlyArray<readonly [string, string]>, io: IO): Promise<number> {
  const env = shell.vars.environment(prefix)
  const summary = { operation: name, tier: 1 as ExecResult['tier'], exitCode: 0, duration: 0 }
  shell.stageLog.push(summary)
  const result = (await streamed(shell, name, args, env, io)) ?? (await routed(shell, name, args, env, io))
  Object.assign(summary, { tier: result.tier, exitCode: result.exitCode, duration: result.duration })
  const code = result.error?.code
  if (code !== undefined && ABORTING.has(code)) {
    // The stage's deadline and the line's fall together: the line's says which it was.
    if (code !== 'BUDGET_EXCEEDED') shell.checkDeadline()
    throw new LineAborted(code, result.error?.message ?? code, result.exitCode)
  }
  if (code === 'OUTPUT_TRUNCATED') throw new StageTruncated(name)
  if (code === 'RESOURCE_EXHAUSTED' && result.tier === 1) throw new LineAborted(code, result.error?.message ?? code, result.exitCode)
  // A failure that is not the command's own status (NOT_SUPPORTED, TIER_UNAVAILABLE, …) keeps its code for the result.
  shell.line.errorCode = code === 'COMMAND_FAILED' ? undefined : code
  if (code === 'UNKNOWN_OPERATION') {
    if (result.stderr === '') io.stderr.write(`bash: ${name}: command not found\n`)
    return NOT_FOUND_STATUS
  }
  if (code !== undefined && code !== 'COMMAND_FAILED' && result.exitCode === 0) return 1
  return result.exitCode
}
