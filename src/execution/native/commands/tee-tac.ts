/**
 * tee (-a; writes stdin to every file and to stdout) and tac (lines in
 * reverse order; a last line without a newline stays without one, so it
 * joins the next, exactly as GNU's separator-after-record rule).
 */
import { parseArgs } from '../argv'
import type { Command } from '../context'
import { forEachInput, reportFsError, resolve } from '../io'
import { splitByteLines } from '../text'

export const tee: Command = async (ctx) => {
  const parsed = parseArgs('tee', ctx.args, { flags: 'ai', long: { append: { key: 'a' }, 'ignore-interrupts': { key: 'i' } } })
  const input = await ctx.stdin.readAll()
  ctx.stdout.write(input)
  let status = 0
  for (const operand of parsed.operands) {
    try {
      const path = resolve(ctx, operand)
      if (parsed.has('a')) await ctx.fs.append(path, input)
      else await ctx.fs.write(path, input)
    } catch (thrown) {
      reportFsError(ctx, operand, thrown)
      status = 1
    }
  }
  return status
}

export const tac: Command = async (ctx) => {
  const parsed = parseArgs('tac', ctx.args, {})
  const ok = await forEachInput(ctx, parsed.operands, (data) => {
    for (const line of splitByteLines(data).reverse()) ctx.stdout.write(line)
  })
  return ok ? 0 : 1
}
