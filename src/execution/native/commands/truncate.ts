/**
 * truncate -s [+-<>/%]SIZE (GNU's size suffixes) and -c over fsx: a file
 * grows with zero bytes or loses its tail. -r/--reference and -o (IO blocks)
 * go to tier 4.
 */
import { parseArgs } from '../argv'
import { UsageError, type Command } from '../context'
import { parseCount } from '../counts'
import { fsCode, fsReason, report, resolve } from '../io'
import { quoteAlways } from '../quote'

function target(current: number, op: string, size: number): number {
  switch (op) {
    case '+':
      return current + size
    case '-':
      return Math.max(0, current - size)
    case '<':
      return Math.min(current, size)
    case '>':
      return Math.max(current, size)
    case '/':
      return Math.floor(current / size) * size
    case '%':
      return Math.ceil(current / size) * size
    default:
      return size
  }
}

export const truncate: Command = async (ctx) => {
  const parsed = parseArgs('truncate', ctx.args, { flags: 'c', withValue: 's', long: { 'no-create': { key: 'c' }, size: { key: 's', value: true } } })
  const spec = parsed.last('s')
  if (spec === undefined) throw new UsageError('you must specify either \u2018--size\u2019 or \u2018--reference\u2019')
  if (parsed.operands.length === 0) throw new UsageError('missing file operand')
  const match = /^([-+<>/%]?)(.*)$/.exec(spec) as RegExpExecArray
  const op = match[1] as string
  const size = parseCount(match[2] as string, 'size')
  if ((op === '/' || op === '%') && size === 0) throw new UsageError('division by zero', false)
  let status = 0
  for (const operand of parsed.operands) {
    ctx.signal.throwIfAborted()
    try {
      const path = resolve(ctx, operand)
      let data: Uint8Array = new Uint8Array(0)
      try {
        data = await ctx.fs.read(path)
      } catch (thrown) {
        if (fsCode(thrown) !== 'ENOENT') throw thrown
        if (parsed.has('c')) continue
      }
      const length = target(data.byteLength, op, size)
      const resized = new Uint8Array(length)
      resized.set(data.subarray(0, Math.min(length, data.byteLength)))
      await ctx.fs.write(path, resized)
    } catch (thrown) {
      report(ctx, `cannot open ${quoteAlways(operand)} for writing: ${fsReason(thrown)}`)
      status = 1
    }
  }
  return status
}
