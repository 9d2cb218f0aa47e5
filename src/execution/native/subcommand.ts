/**
 * Runs a command for a utility that runs commands (xargs, find -exec)
 * through `ctx.run`, copies its stdout (bytes exact) and stderr into the
 * utility's own, and reduces the result to an exit status. A command no tier
 * knows resolves to 'missing' (the caller words GNU's complaint); a failure
 * that is not the command's own (NOT_SUPPORTED on an explicit tier, a tier
 * that is not there) makes the whole utility NOT_SUPPORTED, so the router
 * runs it where the command can run.
 */
import { base64ToBytes } from './base64-codec'
import { UnsupportedFeature, type CommandContext } from './context'

export async function runSubcommand(ctx: CommandContext, argv: readonly string[], cwd?: string): Promise<number | 'missing'> {
  ctx.signal.throwIfAborted()
  const result = await ctx.run(argv, new Uint8Array(), cwd)
  ctx.signal.throwIfAborted()
  const code = result.error?.code
  if (code === 'UNKNOWN_OPERATION') return 'missing'
  if (code !== undefined && code !== 'COMMAND_FAILED') {
    throw new UnsupportedFeature(ctx.name, `running ${argv[0]} here (${code}: ${result.error?.message ?? ''})`)
  }
  ctx.stdout.write((result.stdoutBase64 === undefined ? undefined : base64ToBytes(result.stdoutBase64)) ?? result.stdout)
  ctx.stderr.write(result.stderr)
  return result.exitCode ?? 1
}
