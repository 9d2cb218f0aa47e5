/**
 * Runs a parsed command line. Each simple command is one stage handed to
 * the caller's `runStage` (the tier router, which picks a tier per stage);
 * cd, export, unset, exit and `:` run here. Stages of a pipeline run one
 * after another, each getting the previous stage's stdout as its stdin, as
 * bytes (Uint8Array, binary-safe; a stage's `stdoutBase64` is used when its
 * output is not UTF-8). `&&` and `||` short-circuit; the status of a list is
 * its last pipeline's, available as `$?`.
 *
 * The combined result: stdout of every pipeline's last stage (and of
 * anything redirected to the shell's stdout) in order, stderr of all stages
 * in order, the last status, the highest tier any stage used, and a summary
 * of every stage. A TIMEOUT or CANCELLED stage ends the whole line.
 */
import type { ExecResult, ExecutionTier, FileSystem, StageSummary } from '../../../types/execution'
import type { ErrorCode } from '../../../types/errors'
import { parseTraceparent } from '../../core/trace'
import { failure, failureFromThrown, type ResultIdentity } from '../result'
import { base64ToBytes } from '../native/base64-codec'
import { commandResult } from '../native/command-result'
import { concatBytes, encodeUtf8 } from '../native/text'
import type { AndOr, CommandList, Pipeline, SimpleCommand } from './ast'
import { BUILTINS, type ShellState } from './builtins'
import { ParseError } from './errors'
import { expandToString, expandWord, expandWords, type ExpansionScope } from './expand'
import { parseCommandLine } from './parser'
import { applyRedirects, OutputRouter, RedirectFailed, type Streams } from './streams'

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
  /** The shell's stdin: read by the first stage that reads its standard input. */
  stdin?: string | Uint8Array
  executionId?: string
  /** Trace id for the result; derived from `traceparent` when absent. */
  traceId?: string
  traceparent?: string
  signal?: AbortSignal
}

/** Ends the line early: a stage timed out or was cancelled. */
class LineAborted extends Error {
  override readonly name = 'LineAborted'
  constructor(
    readonly code: 'TIMEOUT' | 'CANCELLED',
    message: string,
  ) {
    super(message)
  }
}

const ABORTING: ReadonlySet<string> = new Set(['TIMEOUT', 'CANCELLED'])

function stdoutBytes(result: ExecResult): Uint8Array {
  const exact = result.stdoutBase64 === undefined ? undefined : base64ToBytes(result.stdoutBase64)
  return exact ?? encodeUtf8(result.stdout)
}

export class Interpreter {
  readonly state: ShellState
  readonly router: OutputRouter
  readonly stages: StageSummary[] = []
  lastStatus = 0
  /** The error code behind the last status when it was not a plain non-zero exit. */
  lastErrorCode: ErrorCode | undefined
  private shellStdin: Uint8Array | undefined

  constructor(private readonly deps: ShellDeps) {
    this.state = { cwd: deps.cwd ?? '/', variables: new Map(Object.entries(deps.env ?? {})) }
    this.router = new OutputRouter(deps.fs)
    const stdin = deps.stdin
    this.shellStdin = stdin === undefined ? undefined : typeof stdin === 'string' ? encodeUtf8(stdin) : stdin
  }

  get highestTier(): ExecutionTier {
    return this.stages.reduce<ExecutionTier>((highest, stage) => (stage.tier > highest ? stage.tier : highest), 1)
  }

  private scope(): ExpansionScope {
    return { variables: this.state.variables, lastStatus: this.lastStatus, cwd: this.state.cwd, fs: this.deps.fs }
  }

  private checkSignal(): void {
    if (this.deps.signal?.aborted) throw new LineAborted('CANCELLED', 'the command line was cancelled by the caller')
  }

  async runList(list: CommandList): Promise<void> {
    for (const item of list.items) {
      await this.runAndOr(item)
      if (this.state.exitRequested !== undefined) return
    }
  }

  private async runAndOr(node: AndOr | Pipeline): Promise<void> {
    if (node.kind === 'pipeline') return this.runPipeline(node)
    await this.runAndOr(node.left)
    if (this.state.exitRequested !== undefined) return
    if ((node.kind === 'and') === (this.lastStatus === 0)) await this.runPipeline(node.right)
  }

  private async runPipeline(pipeline: Pipeline): Promise<void> {
    let input: Uint8Array = new Uint8Array(0)
    const single = pipeline.commands.length === 1
    for (const [index, command] of pipeline.commands.entries()) {
      this.checkSignal()
      const last = index === pipeline.commands.length - 1
      const streams: Streams = { stdin: { kind: 'pipe' }, stdout: last ? { kind: 'shell-stdout' } : { kind: 'pipe' }, stderr: { kind: 'shell-stderr' } }
      this.router.pipe = []
      await this.runCommand(command, streams, index === 0 ? undefined : input, single)
      input = concatBytes(this.router.pipe)
    }
    if (pipeline.negated) {
      this.lastStatus = this.lastStatus === 0 ? 1 : 0
      this.lastErrorCode = undefined
    }
  }

  /** stdin for a stage reading the pipe: the previous stage's output, or the shell's stdin once. */
  private pipeInput(previous: Uint8Array | undefined): Uint8Array {
    if (previous !== undefined) return previous
    const stdin = this.shellStdin ?? new Uint8Array(0)
    this.shellStdin = undefined
    return stdin
  }

  private async runCommand(command: SimpleCommand, defaults: Streams, previous: Uint8Array | undefined, single: boolean): Promise<void> {
    const scope = this.scope()
    const argv = await expandWords(command.words, scope)
    const assignments = command.assignments.map((assignment) => [assignment.name, expandToString(assignment.value, scope)] as const)
    let streams: Streams
    try {
      streams = await applyRedirects(command.redirects, defaults, {
        fs: this.deps.fs,
        cwd: this.state.cwd,
        target: async (redirect) => {
          const fields = await expandWord(redirect.target, this.scope())
          if (fields.length !== 1) throw new RedirectFailed(`${fields.join(' ') || '""'}: ambiguous redirect`)
          return fields[0] as string
        },
      })
    } catch (thrown) {
      if (!(thrown instanceof RedirectFailed)) throw thrown
      this.router.stderr += `sh: ${thrown.message}\n`
      this.lastStatus = 1
      this.lastErrorCode = undefined
      return
    }
    const stdin = streams.stdin.kind === 'bytes' ? streams.stdin.bytes : this.pipeInput(previous)
    const [name, ...args] = argv
    if (name === undefined) {
      // Only assignments: they set shell variables (in a pipeline, a subshell's, so they vanish).
      if (single) for (const [key, value] of assignments) this.state.variables.set(key, value)
      this.lastStatus = 0
      this.lastErrorCode = undefined
      return
    }
    const builtin = BUILTINS.get(name)
    if (builtin) {
      // In a pipeline a builtin runs in a subshell: its changes do not last.
      const state = single ? this.state : { cwd: this.state.cwd, variables: new Map(this.state.variables) }
      const outcome = await builtin(args, state, this.deps.fs)
      if (state.exitRequested === -1) state.exitRequested = this.lastStatus
      await this.router.deliverText(streams.stdout, outcome.stdout)
      await this.router.deliverText(streams.stderr, outcome.stderr)
      this.lastStatus = state.exitRequested ?? outcome.status
      this.lastErrorCode = undefined
      return
    }
    const env = Object.fromEntries([...this.state.variables, ...assignments])
    const result = await this.deps.runStage(name, args, { stdin, cwd: this.state.cwd, env })
    this.stages.push({ operation: name, tier: result.tier, exitCode: result.exitCode, duration: result.duration })
    await this.router.deliver(streams.stdout, stdoutBytes(result), () => result.stdout)
    await this.router.deliverText(streams.stderr, result.stderr)
    this.lastStatus = result.exitCode
    this.lastErrorCode = result.ok || result.error?.code === 'COMMAND_FAILED' ? undefined : result.error?.code
    if (result.error && ABORTING.has(result.error.code)) throw new LineAborted(result.error.code as 'TIMEOUT', result.error.message)
  }
}

/** Runs `list` and reports it as one ExecResult (operation `sh`). */
async function interpret(list: CommandList, deps: ShellDeps, identity: ResultIdentity, startedAt: number): Promise<ExecResult> {
  const interpreter = new Interpreter(deps)
  let aborted: LineAborted | undefined
  try {
    await interpreter.runList(list)
  } catch (thrown) {
    if (!(thrown instanceof LineAborted)) throw thrown
    aborted = thrown
  }
  const status = interpreter.state.exitRequested ?? interpreter.lastStatus
  const result = commandResult({ ...identity, tier: interpreter.highestTier }, {
    exitCode: status,
    stdout: concatBytes(interpreter.router.stdout),
    stderr: interpreter.router.stderr,
    startedAt,
    ...(aborted ? { errorCode: aborted.code, errorMessage: aborted.message } : {}),
    ...(!aborted && status !== 0 && interpreter.lastErrorCode ? { errorCode: interpreter.lastErrorCode } : {}),
  })
  return { ...result, stages: interpreter.stages }
}

/** Exit status of sh for a syntax error. */
const SYNTAX_ERROR_STATUS = 2

/** Shows the offending line with a caret under the column. */
function pointAt(line: string, error: ParseError): string {
  const text = line.split('\n')[error.line - 1] ?? ''
  return `${text}\n${' '.repeat(Math.max(0, error.column - 1))}^`
}

function parseErrorResult(line: string, error: ParseError, identity: ResultIdentity, startedAt: number): ExecResult {
  const shown = `${error.message}\n${pointAt(line, error)}`
  return failure(identity, 'PARSE_ERROR', error.message, startedAt, {
    exitCode: SYNTAX_ERROR_STATUS,
    stderr: `sh: ${shown}\n`,
    details: { line: error.line, column: error.column, reason: error.reason },
  })
}

/**
 * Parses and runs a command line; never throws. A malformed line is a
 * PARSE_ERROR result (status 2) whose stderr points at the column.
 */
export async function runCommandLine(line: string, deps: ShellDeps): Promise<ExecResult> {
  const startedAt = performance.now()
  const traceId = deps.traceId ?? parseTraceparent(deps.traceparent)?.traceId ?? ''
  const identity: ResultIdentity = { tier: 1, operation: 'sh', executionId: deps.executionId ?? '', traceId }
  try {
    return await interpret(parseCommandLine(line), deps, identity, startedAt)
  } catch (thrown) {
    if (thrown instanceof ParseError) return parseErrorResult(line, thrown, identity, startedAt)
    return failureFromThrown(identity, thrown, startedAt)
  }
}
