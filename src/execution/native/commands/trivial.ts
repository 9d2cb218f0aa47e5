/**
 * true, false, and sleep (which the call's deadline or cancellation
 * interrupts). GNU's `--help` and `--version` (alone, for true and false)
 * print texts tier 1 does not carry, so they go to tier 4.
 */
import { UnsupportedFeature, UsageError, type Command, type CommandContext } from '../context'
import { parseDuration } from '../duration'

function refuseInformation(ctx: CommandContext, args: readonly string[]): void {
  const asked = args.find((arg) => arg === '--help' || arg === '--version')
  if (asked !== undefined) throw new UnsupportedFeature(ctx.name, asked)
}

export const trueCommand: Command = async (ctx) => {
  if (ctx.args.length === 1) refuseInformation(ctx, ctx.args)
  return 0
}

export const falseCommand: Command = async (ctx) => {
  if (ctx.args.length === 1) refuseInformation(ctx, ctx.args)
  return 1
}

export const sleep: Command = async (ctx) => {
  refuseInformation(ctx, ctx.args)
  if (ctx.args.length === 0) throw new UsageError('missing operand')
  let milliseconds = 0
  for (const arg of ctx.args) milliseconds += parseDuration(arg)
  await new Promise<void>((resolve, reject) => {
    ctx.signal.throwIfAborted()
    const onAbort = () => {
      clearTimeout(timer)
      reject(ctx.signal.reason)
    }
    const timer = setTimeout(() => {
      ctx.signal.removeEventListener('abort', onAbort)
      resolve()
    }, milliseconds)
    ctx.signal.addEventListener('abort', onAbort, { once: true })
  })
  return 0
}
