/**
 * nl: -b a|t|n (which lines to number), -n ln|rn|rz, -w, -s, -v, -i. Lines
 * not numbered get width + separator-length blanks, as GNU prints them.
 * Section delimiters (`\:\:\:`) and -b pREGEX are not implemented (tier 4).
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, UsageError, type Command } from '../context'
import { eachOperandLines, pacedEach } from '../lines'
import { quoteLocale } from '../quote'

const SPEC = {
  withValue: 'bnwsvi',
  long: {
    'body-numbering': { key: 'b', value: true },
    'number-format': { key: 'n', value: true },
    'number-width': { key: 'w', value: true },
    'number-separator': { key: 's', value: true },
    'starting-line-number': { key: 'v', value: true },
    'line-increment': { key: 'i', value: true },
  },
}

function integer(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback
  if (!/^-?\d+$/.test(text)) throw new UsageError(`invalid ${what}: ${quoteLocale(text)}`)
  return Number(text)
}

function formatNumber(value: number, format: string, width: number): string {
  const digits = String(Math.abs(value))
  const sign = value < 0 ? '-' : ''
  if (format === 'ln') return `${sign}${digits}`.padEnd(width)
  if (format === 'rz') return sign + digits.padStart(width - sign.length, '0')
  return `${sign}${digits}`.padStart(width)
}

export const nl: Command = async (ctx) => {
  const parsed = parseArgs('nl', ctx.args, SPEC)
  const style = parsed.last('b') ?? 't'
  if (!['a', 't', 'n'].includes(style)) throw new UnsupportedFeature('nl', `-b ${style}`)
  const format = parsed.last('n') ?? 'rn'
  if (!['ln', 'rn', 'rz'].includes(format)) throw new UsageError(`invalid line number format: ${quoteLocale(format)}`)
  const width = integer(parsed.last('w'), 6, 'line number field width')
  if (width < 1) throw new UsageError(`invalid line number field width: ${quoteLocale(String(width))}: Numerical result out of range`)
  const separator = parsed.last('s') ?? '\t'
  let number = integer(parsed.last('v'), 1, 'starting line number')
  const increment = integer(parsed.last('i'), 1, 'line number increment')
  const blank = ' '.repeat(width + separator.length)
  return eachOperandLines(ctx, parsed.operands, async (lines) => {
    if (lines.some((line) => /^(\\:){1,3}$/.test(line))) throw new UnsupportedFeature('nl', 'section delimiters')
    await pacedEach(ctx, lines, (line) => {
      const numbered = style === 'a' || (style === 't' && line !== '')
      if (!numbered) return ctx.stdout.write(`${blank}${line}\n`)
      ctx.stdout.write(`${formatNumber(number, format, width)}${separator}${line}\n`)
      number += increment
    })
  })
}
