/**
 * Tier 1: runs a utility from the registry over the caller's fsx inside the
 * Worker. Arguments are parsed with zod (every one must be a string, as argv
 * is); the utility writes to byte sinks and returns its status, and this
 * turns the outcome into an ExecResult. Nothing here throws.
 */
import type { ExecResult } from '../../../types/execution'
import { ArgvSchema, CANCELLED_STATUS, identityOf, invalidArgs, stdinBytes, TIMEOUT_STATUS } from '../call-input'
import type { ExecCall, TierExecutor } from '../executor'
import { isFsError } from '../fsx/errors'
import { resolvePath } from '../fsx/paths'
import { failure, failureFromThrown } from '../result'
import { commandResult } from './command-result'
import { COMMANDS, usageStatus } from './commands/registry'
import { UnsupportedFeature, UsageError, type CommandContext } from './context'
import { Deadline, DeadlineReached } from './deadline'
import { OutputLimitExceeded, OutputSink } from './output'
import { RegexTooComplex } from './regex/errors'
import { decodeUtf8 } from './text'

export const NATIVE_OPERATIONS: ReadonlySet<string> = new Set(COMMANDS.keys())

export const nativeExecutor: TierExecutor = {
  tier: 1,
  handles: async (operation) => NATIVE_OPERATIONS.has(operation),
  isAvailable: async () => true,
  run: runNative,
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

  const deadline = new Deadline(call.options.timeoutMs, call.options.signal)
  const endsAt = Date.now() + call.options.timeoutMs
  const stdout = new OutputSink()
  const stderr = new OutputSink()
  const ctx: CommandContext = {
    name: call.operation,
    args: argv.data,
    stdin: stdinBytes(call.options.stdin),
    cwd,
    env: call.options.env,
    fs: call.fs,
    stdout,
    stderr,
    signal: deadline.signal,
    run: (commandArgv, stdin, runCwd = cwd, limitMs = Number.POSITIVE_INFINITY) => {
      const [operation = '', ...args] = commandArgv
      const options = { stdin, cwd: runCwd, env: call.options.env, timeoutMs: Math.max(1, Math.min(limitMs, endsAt - Date.now())), signal: deadline.signal }
      if (call.route) return call.route(operation, args, options)
      // Without the router only tier-1 utilities can run; anything else needs the caller's router.
      if (!COMMANDS.has(operation)) return Promise.resolve(failure(identity, 'NOT_SUPPORTED', `${operation} is not a tier-1 utility and this call has no router to send it on`, startedAt))
      return runNative({ ...call, operation, args, options: { ...call.options, ...options } })
    },
  }
  const finish = (exitCode: number, extra: { errorCode?: 'TIMEOUT' | 'CANCELLED' | 'OUTPUT_TRUNCATED'; errorMessage?: string; truncated?: boolean } = {}) =>
    commandResult(identity, { exitCode, stdout: stdout.bytes(), stderr: decodeUtf8(stderr.bytes()), startedAt, ...extra })
  try {
    return finish(await deadline.race(command(ctx)))
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
    if (thrown instanceof UnsupportedFeature) {
      return failure(identity, 'NOT_SUPPORTED', thrown.message, startedAt, { exitCode: usageStatus(ctx.name) })
    }
    if (thrown instanceof RegexTooComplex) {
      return failure(identity, 'REGEX_TOO_COMPLEX', `${ctx.name}: ${thrown.message}`, startedAt, { exitCode: usageStatus(ctx.name) })
    }
    if (thrown instanceof OutputLimitExceeded) {
      return finish(1, { errorCode: 'OUTPUT_TRUNCATED', truncated: true, errorMessage: `${ctx.name}: output stopped at ${thrown.cap} bytes; narrow the command (head, grep) or write to a file` })
    }
    if (thrown instanceof DeadlineReached) {
      const timedOut = thrown.outcome === 'TIMEOUT'
      return finish(timedOut ? TIMEOUT_STATUS : CANCELLED_STATUS, {
        errorCode: thrown.outcome,
        errorMessage: timedOut
          ? `${ctx.name} did not finish within ${call.options.timeoutMs} ms; raise timeoutMs or make the input smaller`
          : `${ctx.name} was cancelled by the caller`,
      })
    }
    return failureFromThrown(identity, thrown, startedAt)
  } finally {
    deadline.dispose()
  }
}
