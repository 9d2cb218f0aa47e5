/**
 * Runs a command for a utility that runs commands (xargs, find -exec,
 * timeout) through `ctx.run`, copies its stdout (bytes exact) and stderr into
 * the utility's own, and reduces the result to an exit status. A command no
 * tier knows resolves to 'missing' (the caller words GNU's complaint); a
 * failure that is not the command's own (NOT_SUPPORTED on an explicit tier, a
 * tier that is not there) makes the whole utility NOT_SUPPORTED, so the router
 * runs it where the command can run. Only a caller that set the command's own
 * time limit (timeout) gets 'timeout' back: for the others a TIMEOUT is not
 * the command's own outcome.
 */
import { base64ToBytes } from './base64-codec'
import { UnsupportedFeature, type CommandContext } from './context'

export interface SubcommandOptions {
  cwd?: string
  /** The command's stdin; none by default. */
  stdin?: Uint8Array
}

export interface TimedSubcommandOptions extends SubcommandOptions {
  /** The command's own time limit in milliseconds (undefined: none beyond the caller's). */
  limitMs: number | undefined
}

export function runSubcommand(ctx: CommandContext, argv: readonly string[], options: TimedSubcommandOptions): Promise<number | 'missing' | 'timeout'>
export function runSubcommand(ctx: CommandContext, argv: readonly string[], options?: SubcommandOptions): Promise<number | 'missing'>
export async function runSubcommand(ctx: CommandContext, argv: readonly string[], options: SubcommandOptions | TimedSubcommandOptions = {}): Promise<number | 'missing' | 'timeout'> {
  const timed = 'limitMs' in options
  ctx.signal.throwIfAborted()
  const result = await ctx.run(argv, options.stdin ?? new Uint8Array(), options.cwd, timed ? options.limitMs : undefined)
  // The caller's deadline (or cancel) ended the command: that is the utility's outcome, not the command's.
  ctx.signal.throwIfAborted()
  const code = result.error?.code
  if (code === 'UNKNOWN_OPERATION') return 'missing'
  const timedOut = timed && code === 'TIMEOUT'
  if (code !== undefined && code !== 'COMMAND_FAILED' && !timedOut) {
    throw new UnsupportedFeature(ctx.name, `running ${argv[0]} here (${code}: ${result.error?.message ?? ''})`)
  }
  ctx.stdout.write((result.stdoutBase64 === undefined ? undefined : base64ToBytes(result.stdoutBase64)) ?? result.stdout)
  ctx.stderr.write(result.stderr)
  return timedOut ? 'timeout' : (result.exitCode ?? 1)
}
