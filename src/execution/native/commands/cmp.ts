/**
 * cmp: the first differing byte (`a b differ: byte N, line M`), -l (every
 * differing byte in octal), -b (the bytes shown), -s (status only), -n LIMIT,
 * and GNU's `EOF on NAME …` notes when one input is a prefix of the other.
 * Skip operands (SKIP1 SKIP2, -i) go to tier 4.
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, UsageError, type Command } from '../context'
import { readOrReport } from '../io'
import { Pacer } from '../pace'
import { parseCount } from '../counts'

function shown(byte: number): string {
  if (byte >= 0x80) return `M-${shown(byte - 0x80)}`
  if (byte < 0x20) return `^${String.fromCharCode(byte + 0x40)}`
  if (byte === 0x7f) return '^?'
  return String.fromCharCode(byte)
}

export const cmp: Command = async (ctx) => {
  const parsed = parseArgs('cmp', ctx.args, {
    flags: 'lbs',
    withValue: 'n',
    long: { verbose: { key: 'l' }, 'print-bytes': { key: 'b' }, silent: { key: 's' }, quiet: { key: 's' }, bytes: { key: 'n', value: true } },
  })
  const [first, second = '-', extra] = parsed.operands
  if (first === undefined) throw new UsageError(`missing operand after 'cmp'`)
  if (extra !== undefined) throw new UnsupportedFeature('cmp', 'skip operands')
  const limit = parsed.last('n') === undefined ? Infinity : parseCount(parsed.last('n') as string, 'bytes')
  const silent = parsed.has('s')
  const a = await readOrReport(ctx, first)
  const b = a && (await readOrReport(ctx, second))
  if (!a || !b) return 2
  const end = Math.min(a.byteLength, b.byteLength, limit)
  const pacer = new Pacer(ctx.signal)
  let line = 1
  let differ = false
  const width = String(Math.min(Math.max(a.byteLength, b.byteLength), limit)).length
  for (let i = 0; i < end; i++) {
    const x = a[i] as number
    const y = b[i] as number
    if (x !== y) {
      differ = true
      if (silent) return 1
      if (!parsed.has('l')) {
        const bytes = parsed.has('b') ? ` is ${x.toString(8).padStart(3)} ${shown(x)} ${y.toString(8).padStart(3)} ${shown(y)}` : ''
        ctx.stdout.write(`${first} ${second} differ: byte ${i + 1}, line ${line}${bytes}\n`)
        return 1
      }
      const bytes = parsed.has('b') ? ` ${x.toString(8).padStart(3)} ${shown(x).padEnd(4)} ${y.toString(8).padStart(3)} ${shown(y)}` : ` ${x.toString(8).padStart(3)} ${y.toString(8).padStart(3)}`
      ctx.stdout.write(`${String(i + 1).padStart(width)}${bytes}\n`)
    }
    if (x === 0x0a) line++
    if (pacer.due(i)) await pacer.pause(i)
  }
  if (a.byteLength !== b.byteLength && end < limit) {
    const shorter = a.byteLength < b.byteLength ? first : second
    if (!silent) {
      // GNU names the line the EOF falls in: a finished line by number, an unfinished one as `in line`.
      const afterNewline = a[end - 1] === 0x0a
      const where = afterNewline ? `, line ${line - 1}` : `, in line ${line}`
      const detail = end === 0 ? ' which is empty' : parsed.has('l') ? ` after byte ${end}` : ` after byte ${end}${where}`
      ctx.stderr.write(`cmp: EOF on ${shorter}${detail}\n`)
    }
    return 1
  }
  return differ ? 1 : 0
}
