/**
 * awk's printf/sprintf: %c %d %i %o %x %X %u %e %E %f %F %g %G %s %% with
 * flags `-+ #0`, width and precision (either may be `*`). Widths and
 * precisions count characters, not bytes (gawk in a UTF-8 locale). Too few
 * arguments is gawk's fatal error; a conversion we do not know is refused so
 * tier 4 answers.
 */
import { UnsupportedFeature } from '../../context'
import { formatFloat, formatInteger, type ConversionSpec } from '../../number-format'
import { AwkFatal } from './errors'
import { numberToString, StrNum, toNumber, UNINIT, type Value } from './values'

const DIRECTIVE = /%([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]*))?(.?)/y

/** Pads a string to `width` characters (code points). */
function padChars(text: string, width: number | undefined, left: boolean): string {
  if (width === undefined) return text
  const length = [...text].length
  if (length >= width) return text
  const fill = ' '.repeat(width - length)
  return left ? text + fill : fill + text
}

function integerOf(value: number): bigint {
  return BigInt(Math.trunc(value))
}

/** gawk prints an infinite or NaN integer conversion as print would: +inf, -inf, -nan. */
function nonFinite(value: number): string {
  return numberToString(value, '%d', () => '')
}

export interface FormatEnv {
  toStr: (value: Value) => string
}

export function formatAwk(format: string, args: readonly Value[], env: FormatEnv): string {
  let out = ''
  let next = 0
  let i = 0
  const take = (directiveStart: number): Value => {
    if (next >= args.length) {
      const caret = `${' '.repeat(directiveStart + 1)}^ ran out for this one`
      throw new AwkFatal(`not enough arguments to satisfy format string\n\t\`${format}'\n\t${caret}`)
    }
    return args[next++] as Value
  }
  while (i < format.length) {
    const percent = format.indexOf('%', i)
    if (percent === -1) {
      out += format.slice(i)
      break
    }
    out += format.slice(i, percent)
    DIRECTIVE.lastIndex = percent
    const match = DIRECTIVE.exec(format) as RegExpExecArray
    i = DIRECTIVE.lastIndex
    const [, flagText = '', widthText, precisionText, conversion = ''] = match
    if (conversion === '%' && flagText === '' && widthText === undefined && precisionText === undefined) {
      out += '%'
      continue
    }
    let flags = flagText
    let width: number | undefined
    if (widthText === '*') {
      width = Math.trunc(toNumber(take(percent)))
      if (width < 0) {
        flags += '-'
        width = -width
      }
    } else if (widthText !== undefined) width = Number(widthText)
    let precision: number | undefined
    if (precisionText === '*') {
      const value = Math.trunc(toNumber(take(percent)))
      precision = value < 0 ? undefined : value
    } else if (precisionText !== undefined) precision = precisionText === '' ? 0 : Number(precisionText)
    const spec: ConversionSpec = { flags, width, precision, conversion }
    const left = flags.includes('-')
    switch (conversion) {
      case 'd':
      case 'i': {
        const value = toNumber(take(percent))
        out += Number.isFinite(value) ? formatInteger(integerOf(value), { ...spec, conversion: 'd' }) : padChars(nonFinite(value), width, left)
        break
      }
      case 'o':
      case 'x':
      case 'X':
      case 'u': {
        const value = toNumber(take(percent))
        out += Number.isFinite(value) ? formatInteger(integerOf(value), spec) : padChars(nonFinite(value), width, left)
        break
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
        out += formatFloat(toNumber(take(percent)), spec)
        break
      case 'c': {
        const value = take(percent)
        let char: string
        if (typeof value === 'number' || value instanceof StrNum || value === UNINIT) {
          const code = Math.trunc(toNumber(value))
          char = code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ''
        } else char = [...env.toStr(value)][0] ?? ''
        out += padChars(char, width, left)
        break
      }
      case 's': {
        let text = env.toStr(take(percent))
        if (precision !== undefined) text = [...text].slice(0, precision).join('')
        out += padChars(text, width, left)
        break
      }
      default:
        throw new UnsupportedFeature('awk', `the printf conversion %${conversion}`)
    }
  }
  return out
}
