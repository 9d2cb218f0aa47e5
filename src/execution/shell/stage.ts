/**
 * A command that is neither a function nor a builtin: one stage handed to
 * the caller's `runStage` (the tier router picks its tier). Its stdin is
 * what is left of the shell's input, consumed as a process reading it would
 * — except inside a `while read` loop over that input, where it is left to
 * `read` (bash's commands there rarely read stdin; those that do are the
 * exception this gives up); its output goes to the command's sinks. A stage stopped
 * by a deadline or cancellation ends the whole line.
 */
import type { ExecResult } from '../../../types/execution'
import { base64ToBytes } from '../native/base64-codec'
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

export interface ShellDeps {
  runStage: RunStage
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

export async function runExternal(shell: Shell, name: string, args: string[], prefix: ReadonlyArray<readonly [string, string]>, io: IO): Promise<number> {
  const env = shell.vars.environment(prefix)
  const result = await shell.line.deps.runStage(name, args, { stdin: io.stdin.take(), cwd: shell.cwd, env })
  shell.line.stages.push({ operation: name, tier: result.tier, exitCode: result.exitCode, duration: result.duration })
  const code = result.error?.code
  // A fallback the budget could not pay ends the line like a timeout: nothing after it runs.
  if (code === 'TIMEOUT' || code === 'CANCELLED' || code === 'BUDGET_EXCEEDED') throw new LineAborted(code, result.error?.message ?? code, result.exitCode)
  // Stages return their streams apart, so their interleaving is lost: stdout first, as before.
  io.stdout.write(stdoutBytes(result))
  io.stderr.write(result.stderr)
  if (code === 'OUTPUT_TRUNCATED') throw new StageTruncated(name)
  // A failure that is not the command's own status (NOT_SUPPORTED, TIER_UNAVAILABLE, …) keeps its code for the result.
  shell.line.errorCode = code === 'COMMAND_FAILED' ? undefined : code
  if (code === 'UNKNOWN_OPERATION') {
    if (result.stderr === '') io.stderr.write(`bash: ${name}: command not found\n`)
    return NOT_FOUND_STATUS
  }
  if (code !== undefined && code !== 'COMMAND_FAILED' && result.exitCode === 0) return 1
  return result.exitCode
}
