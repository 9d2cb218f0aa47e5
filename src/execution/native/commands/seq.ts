/**
 * seq [-w] [-s SEP] [-f FORMAT] [FIRST [INCR]] LAST. Decimal operands are
 * exact (scaled BigInt arithmetic), so `seq 0.1 0.1 0.5` ends at 0.5 the way
 * GNU's long-double code with its rounding fix-up does; the output precision
 * is that of FIRST and INCR, and -w pads to the widest of FIRST and LAST.
 */
import { parseArgs } from '../argv'
import { UsageError, type Command } from '../context'
import { formatFloat } from '../number-format'
import { Pacer } from '../pace'
import { quoteLocale } from '../quote'

const SPEC = {
  flags: 'w',
  withValue: 'sf',
  long: { 'equal-width': { key: 'w' }, separator: { key: 's', value: true }, format: { key: 'f', value: true } },
  negativeNumbers: true,
} as const

interface Decimal {
  /** The value times 10^precision. */
  scaled: bigint
  precision: number
  /** Characters as typed (GNU's width of an operand). */
  width: number
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

function parseOperand(text: string): Decimal {
  const match = DECIMAL.exec(text)
  if (!match) throw new UsageError(`invalid floating point argument: ${quoteLocale(text)}`)
  const negative = text.startsWith('-')
  const [integer = '', fraction = ''] = (match[1] as string).split('.')
  let scaled = BigInt(`${integer || '0'}${fraction}`)
  // An exponent moves the decimal point: GNU's precision is the fraction digits minus the exponent, never below 0.
  const exponent = match[2] === undefined ? 0 : Number(match[2].slice(1))
  let precision = fraction.length - exponent
  if (precision < 0) {
    scaled *= 10n ** BigInt(-precision)
    precision = 0
  }
  const signed = negative ? -scaled : scaled
  const width = match[2] === undefined ? text.replace(/^\+/, '').length : formatScaled(signed, precision, 0).length
  return { scaled: signed, precision, width }
}

function rescale(value: Decimal, precision: number): bigint {
  return value.scaled * 10n ** BigInt(precision - value.precision)
}

function formatScaled(scaled: bigint, precision: number, width: number): string {
  const negative = scaled < 0n
  let digits = (negative ? -scaled : scaled).toString().padStart(precision + 1, '0')
  if (precision > 0) digits = `${digits.slice(0, -precision)}.${digits.slice(-precision)}`
  const sign = negative ? '-' : ''
  return sign + digits.padStart(width - sign.length, '0')
}

export const seq: Command = async (ctx) => {
  const parsed = parseArgs('seq', ctx.args, SPEC)
  const operands = parsed.operands
  if (operands.length === 0) throw new UsageError('missing operand')
  if (operands.length > 3) throw new UsageError(`extra operand ${quoteLocale(operands[3] as string)}`)
  const [first, step, last] = (
    operands.length === 1 ? ['1', '1', operands[0]] : operands.length === 2 ? [operands[0], '1', operands[1]] : operands
  ).map((text) => parseOperand(text as string)) as [Decimal, Decimal, Decimal]
  if (step.scaled === 0n) throw new UsageError(`invalid Zero increment value: ${quoteLocale(operands[1] as string)}`)

  const outputPrecision = Math.max(first.precision, step.precision)
  const exactPrecision = Math.max(outputPrecision, last.precision)
  let width = 0
  if (parsed.has('w')) {
    const firstWidth = first.width + (outputPrecision - first.precision) + (first.precision === 0 && outputPrecision > 0 ? 1 : 0)
    let lastWidth = last.width + (outputPrecision - last.precision)
    if (last.precision > 0 && outputPrecision === 0) lastWidth--
    if (last.precision === 0 && outputPrecision > 0) lastWidth++
    width = Math.max(firstWidth, lastWidth)
  }
  const format = parsed.last('f')
  const directive = format === undefined ? undefined : /%([-+ #0']*)(\d*)(?:\.(\d+))?([eEfFgG])/.exec(format)
  if (format !== undefined && !directive) throw new UsageError(`format ${quoteLocale(format)} has no % directive`, false)
  const render = (value: bigint): string => {
    if (!format || !directive) return formatScaled(value / shift, outputPrecision, width)
    const [whole, flags = '', w, p, conversion = 'g'] = directive
    const spec = { flags, width: w ? Number(w) : undefined, precision: p === undefined ? undefined : Number(p), conversion }
    return format.replace(whole, formatFloat(Number(value) / 10 ** exactPrecision, spec)).replaceAll('%%', '%')
  }
  const separator = parsed.last('s') ?? '\n'
  const start = rescale(first, exactPrecision)
  const increment = rescale(step, exactPrecision)
  const end = rescale(last, exactPrecision)
  const shift = 10n ** BigInt(exactPrecision - outputPrecision)
  const batch: string[] = []
  let wrote = false
  // Writing in batches keeps memory flat, keeps pace with a pipe's reader, and lets the output cap stop a huge range early.
  const flush = () => {
    if (batch.length === 0) return
    ctx.stdout.write((wrote ? separator : '') + batch.join(separator))
    wrote = true
    batch.length = 0
  }
  const pacer = new Pacer(ctx.signal)
  let count = 0
  for (let value = start; increment > 0n ? value <= end : value >= end; value += increment) {
    batch.push(render(value))
    if (batch.length >= 4096) {
      flush()
      await ctx.stdout.drain()
      count += 4096 * 64
      if (pacer.due(count)) await pacer.pause(count)
    }
  }
  flush()
  if (wrote) ctx.stdout.write('\n')
  return 0
}
