/**
 * Runs one command line and reports it as one ExecResult (operation `sh`):
 * parse, plan (plan.ts), then interpret in process — or hand the whole line
 * to tier 4 as `bash -c` when tier 1 cannot run it. Never throws.
 *
 * The result: the line's stdout (capped; a cut fails with OUTPUT_TRUNCATED),
 * stderr, the last status (or exit's), the highest tier any stage used, and
 * a summary of every stage. TIMEOUT, CANCELLED, RESOURCE_EXHAUSTED and
 * OUTPUT_TRUNCATED end the line with that code.
 */
import type { ExecResult, ExecutionTier } from '../../../types/execution'
import { parseTraceparent } from '../../core/trace'
import { failure, failureFromThrown, type ResultIdentity } from '../result'
import { commandResult } from '../native/command-result'
import { Deadline } from '../native/deadline'
import { NATIVE_OPERATIONS } from '../native/executor'
import { encodeUtf8 } from '../native/text'
import type { CommandList } from './ast'
import { DEFAULT_LIMITS, ExitShell, LineAborted, type ShellLimits } from './control'
import { ParseError } from './errors'
import { BufferSink, OUTPUT_CAP_BYTES, SinkFull, type IO } from './io'
import { ByteReader } from '../native/stream'
import { Shell, type Line } from './interpreter'
import { parseCommandLine } from './parser'
import { planLine } from './plan'
import { StageTruncated, type ShellDeps } from './stage'

export const DEFAULT_LINE_TIMEOUT_MS = 30_000
/** bash's status for a syntax error. */
const SYNTAX_ERROR_STATUS = 2

export interface LineOptions {
  limits?: Partial<ShellLimits>
}

interface Outcome {
  status: number
  error?: LineAborted
}

async function runTrap(shell: Shell, io: IO): Promise<void> {
  const action = shell.traps.get('EXIT')
  if (action === undefined) return
  shell.traps.delete('EXIT')
  const status = shell.lastStatus
  try {
    await shell.runList(parseCommandLine(action), io)
  } catch (thrown) {
    if (!(thrown instanceof ExitShell)) throw thrown
    shell.lastStatus = thrown.status
    return
  }
  shell.lastStatus = status
}

async function execute(shell: Shell, list: CommandList, io: IO): Promise<Outcome> {
  try {
    try {
      await shell.runList(list, io)
    } catch (thrown) {
      if (!(thrown instanceof ExitShell)) throw thrown
      shell.lastStatus = thrown.status
    }
    await runTrap(shell, io)
    for (const flush of shell.line.finalizers) await flush()
    return { status: shell.lastStatus }
  } catch (thrown) {
    if (thrown instanceof LineAborted) return { status: thrown.status, error: thrown }
    if (thrown instanceof SinkFull || thrown instanceof StageTruncated) {
      const message = `the line's output passed ${OUTPUT_CAP_BYTES} bytes; narrow it (head, grep) or write to a file`
      return { status: 1, error: new LineAborted('OUTPUT_TRUNCATED', message, 1) }
    }
    throw thrown
  }
}

async function interpret(list: CommandList, deps: ShellDeps, identity: ResultIdentity, startedAt: number, options: LineOptions): Promise<ExecResult> {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_LINE_TIMEOUT_MS
  const deadline = new Deadline(timeoutMs, deps.signal)
  const stdout = new BufferSink(OUTPUT_CAP_BYTES, 'stdout')
  const stderr = new BufferSink(OUTPUT_CAP_BYTES, 'stderr')
  const line: Line = {
    deps: { ...deps, timeoutMs },
    stages: [],
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    commands: 0,
    iterations: 0,
    signal: deadline.signal,
    timedOut: () => deadline.outcome === 'TIMEOUT',
    endsAt: Date.now() + timeoutMs,
    stderr,
    finalizers: [],
  }
  const shell = new Shell(line, deps.fs, deps.cwd ?? '/', deps.env ?? {})
  const stdin = deps.stdin === undefined ? new Uint8Array(0) : typeof deps.stdin === 'string' ? encodeUtf8(deps.stdin) : deps.stdin
  const io: IO = { stdin: ByteReader.of(stdin), stdout, stderr }
  let outcome: Outcome
  try {
    outcome = await execute(shell, list, io)
  } finally {
    deadline.dispose()
  }
  const tier = line.stages.reduce<ExecutionTier>((highest, stage) => (stage.tier > highest ? stage.tier : highest), 1)
  const result = commandResult({ ...identity, tier }, {
    exitCode: outcome.status,
    stdout: stdout.bytes(),
    stderr: stderr.text(),
    startedAt,
    ...(outcome.error ? { errorCode: outcome.error.code, errorMessage: outcome.error.message } : {}),
    ...(outcome.error?.code === 'OUTPUT_TRUNCATED' ? { truncated: true } : {}),
    ...(!outcome.error && outcome.status !== 0 && line.errorCode ? { errorCode: line.errorCode } : {}),
  })
  return { ...result, stages: line.stages }
}

/** The whole line on tier 4 (`bash -c`), through the caller's router. */
async function runWhole(line: string, deps: ShellDeps, identity: ResultIdentity, reason: string): Promise<ExecResult> {
  const stdin = deps.stdin === undefined ? new Uint8Array(0) : typeof deps.stdin === 'string' ? encodeUtf8(deps.stdin) : deps.stdin
  const result = await deps.runStage('bash', ['-c', line], { stdin, cwd: deps.cwd ?? '/', env: deps.env ?? {} })
  const stage = { operation: 'bash', tier: result.tier, exitCode: result.exitCode, duration: result.duration }
  const error = result.error && result.error.code === 'TIER_UNAVAILABLE' ? { ...result.error, message: `${result.error.message}; the line runs whole on tier 4 because ${reason}` } : result.error
  return { ...result, ...identity, tier: result.tier, ...(error ? { error } : {}), stages: [stage] }
}

/** Shows the offending line with a caret under the column. */
function pointAt(line: string, error: ParseError): string {
  const text = line.split('\n')[error.line - 1] ?? ''
  return `${text}\n${' '.repeat(Math.max(0, error.column - 1))}^`
}

function parseErrorResult(line: string, error: ParseError, identity: ResultIdentity, startedAt: number): ExecResult {
  return failure(identity, 'PARSE_ERROR', error.message, startedAt, {
    exitCode: SYNTAX_ERROR_STATUS,
    stderr: `bash: ${error.message}\n${pointAt(line, error)}\n`,
    details: { line: error.line, column: error.column, reason: error.reason },
  })
}

/**
 * Parses and runs a command line; never throws. A line bash would reject is
 * a PARSE_ERROR result (status 2) whose stderr points at the column.
 */
export async function runCommandLine(line: string, deps: ShellDeps, options: LineOptions = {}): Promise<ExecResult> {
  const startedAt = performance.now()
  const traceId = deps.traceId ?? parseTraceparent(deps.traceparent)?.traceId ?? ''
  const identity: ResultIdentity = { tier: 1, operation: 'sh', executionId: deps.executionId ?? '', traceId }
  let list: CommandList
  try {
    list = parseCommandLine(line)
  } catch (thrown) {
    if (!(thrown instanceof ParseError)) return failureFromThrown(identity, thrown, startedAt)
    if (thrown.unsupported) return runWhole(line, deps, identity, `${thrown.reason} is not available on tier 1`)
    return parseErrorResult(line, thrown, identity, startedAt)
  }
  try {
    const plan = planLine(list, (name) => NATIVE_OPERATIONS.has(name), { pinnedTier: deps.pinnedTier })
    if (plan.kind === 'whole') return await runWhole(line, deps, identity, plan.reason)
    return await interpret(list, deps, identity, startedAt, options)
  } catch (thrown) {
    return failureFromThrown(identity, thrown, startedAt)
  }
}
