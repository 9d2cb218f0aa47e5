/** rmdir (-p, -v, --ignore-fail-on-non-empty) over fsx, with GNU's messages. */
import { parseArgs } from '../argv'
import { UsageError, type Command, type CommandContext } from '../context'
import { fsReason, report, resolve } from '../io'
import { quoteAlways } from '../quote'

async function removeOne(ctx: CommandContext, operand: string, verbose: boolean): Promise<string | undefined> {
  if (verbose) ctx.stdout.write(`rmdir: removing directory, ${quoteAlways(operand)}\n`)
  try {
    const path = resolve(ctx, operand)
    const stat = await ctx.fs.stat(path)
    if (stat.type !== 'directory') return 'Not a directory'
    if ((await ctx.fs.readdir(path)).length > 0) return 'Directory not empty'
    await ctx.fs.rm(path, { recursive: true })
    return undefined
  } catch (thrown) {
    return fsReason(thrown)
  }
}

export const rmdir: Command = async (ctx) => {
  const parsed = parseArgs('rmdir', ctx.args, {
    flags: 'pv',
    long: { parents: { key: 'p' }, verbose: { key: 'v' }, 'ignore-fail-on-non-empty': { key: 'i' } },
  })
  if (parsed.operands.length === 0) throw new UsageError('missing operand')
  let status = 0
  for (const operand of parsed.operands) {
    ctx.signal.throwIfAborted()
    let current = operand
    for (;;) {
      const failure = await removeOne(ctx, current, parsed.has('v'))
      if (failure !== undefined) {
        if (!(failure === 'Directory not empty' && parsed.has('i'))) {
          report(ctx, `failed to remove ${quoteAlways(current)}: ${failure}`)
          status = 1
        }
        break
      }
      if (!parsed.has('p')) break
      const trimmed = current.replace(/\/+$/, '')
      const slash = trimmed.lastIndexOf('/')
      if (slash <= 0) break
      current = trimmed.slice(0, slash).replace(/\/+$/, '')
    }
  }
  return status
}
