/**
 * Tier 1: runs a utility from the registry over the caller's fsx inside the
 * Worker. Arguments are parsed with zod (every one must be a string, as argv
 * is); the utility writes to byte sinks and returns its status, and this
 * turns the outcome into an ExecResult. Nothing here throws.
 *
 * `runNativeStream` is the same run for a pipeline stage of the shell: stdin
 * and stdout are the stage's pipes, so the utility's output goes straight to
 * its consumer instead of into the result, and a write to a pipe whose
 * reader has gone ends the utility with status 141 (SIGPIPE).
 */
import type { ExecResult, FileSystem } from '../../../types/execution'
import { ArgvSchema, CANCELLED_STATUS, identityOf, invalidArgs, stdinBytes, TIMEOUT_STATUS } from '../call-input'
import type { ExecCall, TierExecutor } from '../executor'
import { isFsError } from '../fsx/errors'
import { resolvePath } from '../fsx/paths'
import { failure, failureFromThrown, type ResultIdentity } from '../result'
import { commandResult } from './command-result'
import { COMMANDS, usageStatus } from './commands/registry'
import { UnsupportedFeature, UsageError, type Command, type CommandContext } from './context'
import { Deadline, DeadlineReached } from './deadline'
import { OutputLimitExceeded, OutputSink } from './output'
import { RegexTooComplex } from './regex/errors'
import { BrokenPipe, ByteReader, InputTooLarge, type ByteSink } from './stream'
import { decodeUtf8 } from './text'

export const NATIVE_OPERATIONS: ReadonlySet<string> = new Set(COMMANDS.keys())

/** bash's status for a process killed by SIGPIPE. */
export const SIGPIPE_STATUS = 141

export const nativeExecutor: TierExecutor = {
  tier: 1,
  handles: async (operation) => NATIVE_OPERATIONS.has(operation),
  isAvailable: async () => true,
  run: runNative,
}

type Extra = { errorCode?: 'TIMEOUT' | 'CANCELLED' | 'OUTPUT_TRUNCATED' | 'RESOURCE_EXHAUSTED'; errorMessage?: string; truncated?: boolean }

/** One utility run: everything but the signal, which the run's own deadline provides. */
interface Invocation {
  identity: ResultIdentity
  startedAt: number
  command: Command
  timeoutMs: number
  parent?: AbortSignal
  context: Omit<CommandContext, 'signal' | 'run'>
  run: (signal: AbortSignal, endsAt: number) => CommandContext['run']
  /** Builds the result from the status (the output is wherever the sinks put it). */
  finish: (exitCode: number, extra?: Extra) => ExecResult
  /** What to do with a failure no utility should raise (a bug, or a sink of the caller's). */
  unexpected: (thrown: unknown) => ExecResult
}

async function invoke(invocation: Invocation): Promise<ExecResult> {
  const { identity, startedAt, finish } = invocation
  const deadline = new Deadline(invocation.timeoutMs, invocation.parent)
  const ctx: CommandContext = { ...invocation.context, signal: deadline.signal, run: invocation.run(deadline.signal, Date.now() + invocation.timeoutMs) }
  try {
    return finish(await deadline.race(invocation.command(ctx)))
  } catch (thrown) {
    if (thrown instanceof UsageError) {
      ctx.stderr.write(thrown.bare ? `${thrown.message}\n` : `${ctx.name}: ${thrown.message}\n`)
      if (thrown.hint) ctx.stderr.write(`Try '${ctx.name} --help' for more information.\n`)
      return finish(usageStatus(ctx.name))
    }
    if (isFsError(thrown)) {
      // An fsx failure a utility did not anticipate still reads like GNU: `name: reason`, status 1.
      ctx.stderr.write(`${ctx.name}: ${thrown.reason}\n`)
      return finish(1)
    }
    if (thrown instanceof BrokenPipe) return finish(SIGPIPE_STATUS)
    if (thrown instanceof UnsupportedFeature) {
      return failure(identity, 'NOT_SUPPORTED', thrown.message, startedAt, { exitCode: usageStatus(ctx.name) })
    }
    if (thrown instanceof RegexTooComplex) {
      return failure(identity, 'REGEX_TOO_COMPLEX', `${ctx.name}: ${thrown.message}`, startedAt, { exitCode: usageStatus(ctx.name) })
    }
    if (thrown instanceof OutputLimitExceeded) {
      return finish(1, { errorCode: 'OUTPUT_TRUNCATED', truncated: true, errorMessage: `${ctx.name}: output stopped at ${thrown.cap} bytes; narrow the command (head, grep) or write to a file` })
    }
    if (thrown instanceof InputTooLarge) {
      return finish(1, { errorCode: 'RESOURCE_EXHAUSTED', errorMessage: `${ctx.name}: ${thrown.message}; narrow the input first (head, grep) or run the line on tier 4` })
    }
    if (thrown instanceof DeadlineReached) {
      const timedOut = thrown.outcome === 'TIMEOUT'
      return finish(timedOut ? TIMEOUT_STATUS : CANCELLED_STATUS, {
        errorCode: thrown.outcome,
        errorMessage: timedOut
          ? `${ctx.name} did not finish within ${invocation.timeoutMs} ms; raise timeoutMs or make the input smaller`
          : `${ctx.name} was cancelled by the caller`,
      })
    }
    return invocation.unexpected(thrown)
  } finally {
    deadline.dispose()
  }
}

async function runNative(call: ExecCall): Promise<ExecResult> {
  const startedAt = performance.now()
  const identity = identityOf(call, 1)
  const command = COMMANDS.get(call.operation)
  if (!command) {
    return failure(identity, 'UNKNOWN_OPERATION', `'${call.operation}' is not a tier-1 utility; leave the tier unset so the router picks one`, startedAt, { exitCode: 127 })
  }
  const argv = ArgvSchema.safeParse(call.args)
  if (!argv.success) return invalidArgs(identity, argv.error, startedAt)
  let cwd: string
  try {
    cwd = resolvePath('/', call.options.cwd)
  } catch (thrown) {
    if (!isFsError(thrown)) return failureFromThrown(identity, thrown, startedAt)
    return failure(identity, 'INVALID_ARGUMENT', `cwd '${call.options.cwd}': ${thrown.reason}; give an absolute path inside the fs root`, startedAt, { exitCode: 2 })
  }
  const stdout = new OutputSink()
  const stderr = new OutputSink()
  return invoke({
    identity,
    startedAt,
    command,
    timeoutMs: call.options.timeoutMs,
    ...(call.options.signal ? { parent: call.options.signal } : {}),
    context: { name: call.operation, args: argv.data, stdin: ByteReader.of(stdinBytes(call.options.stdin)), cwd, env: call.options.env, fs: call.fs, stdout, stderr },
    run: (signal, endsAt) => (commandArgv, stdin, runCwd = cwd, limitMs = Number.POSITIVE_INFINITY) => {
      const [operation = '', ...args] = commandArgv
      const options = { stdin, cwd: runCwd, env: call.options.env, timeoutMs: Math.max(1, Math.min(limitMs, endsAt - Date.now())), signal }
      if (call.route) return call.route(operation, args, options)
      // Without the router only tier-1 utilities can run; anything else needs the caller's router.
      if (!COMMANDS.has(operation)) return Promise.resolve(failure(identity, 'NOT_SUPPORTED', `${operation} is not a tier-1 utility and this call has no router to send it on`, startedAt))
      return runNative({ ...call, operation, args, options: { ...call.options, ...options } })
    },
    finish: (exitCode, extra = {}) => commandResult(identity, { exitCode, stdout: stdout.bytes(), stderr: decodeUtf8(stderr.bytes()), startedAt, ...extra }),
    unexpected: (thrown) => failureFromThrown(identity, thrown, startedAt),
  })
}

/** A pipeline stage of the shell run on tier 1 over the stage's own streams. */
export interface StreamStageCall {
  operation: string
  args: string[]
  fs: FileSystem
  cwd: string
  env: Record<string, string>
  stdin: ByteReader
  stdout: ByteSink
  stderr: ByteSink
  timeoutMs: number
  signal?: AbortSignal
  executionId?: string
  traceId?: string
  /** Runs a command a utility starts (xargs, find -exec), through the caller's router. */
  run: (argv: readonly string[], stdin: Uint8Array, cwd: string, timeoutMs: number, signal: AbortSignal) => Promise<ExecResult>
}

/**
 * Runs a tier-1 utility over streams. The result carries the status and any
 * error code but no output (it went to the sinks). Errors the caller's sinks
 * raise (its output cap, a closed descriptor) are rethrown for it to handle.
 */
export async function runNativeStream(call: StreamStageCall): Promise<ExecResult> {
  const startedAt = performance.now()
  const identity: ResultIdentity = { tier: 1, operation: call.operation, executionId: call.executionId ?? '', traceId: call.traceId ?? '' }
  const command = COMMANDS.get(call.operation)
  if (!command) return failure(identity, 'UNKNOWN_OPERATION', `'${call.operation}' is not a tier-1 utility`, startedAt, { exitCode: 127 })
  return invoke({
    identity,
    startedAt,
    command,
    timeoutMs: call.timeoutMs,
    ...(call.signal ? { parent: call.signal } : {}),
    context: { name: call.operation, args: call.args, stdin: call.stdin, cwd: call.cwd, env: call.env, fs: call.fs, stdout: call.stdout, stderr: call.stderr },
    run: (signal, endsAt) => (argv, stdin, runCwd = call.cwd, limitMs = Number.POSITIVE_INFINITY) => call.run(argv, stdin, runCwd, Math.max(1, Math.min(limitMs, endsAt - Date.now())), signal),
    finish: (exitCode, extra = {}) => commandResult(identity, { exitCode, stdout: new Uint8Array(0), stderr: '', startedAt, ...extra }),
    unexpected: (thrown) => {
      throw thrown
    },
  })
}
