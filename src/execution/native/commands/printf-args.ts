/**
 * printf's argument conversions, as coreutils does them with strtoimax /
 * strtoumax / strtold: C integer constants (`0x1F`, `010`, `'A` for a
 * character's code), a leading-prefix parse with "value not completely
 * converted" for trailing junk, and ERANGE clamping. Numbers that are not
 * integers are doubles here (glibc uses long double).
 */
import { quoteLocale } from '../quote'

export interface Converted<T> {
  value: T
  /** A diagnostic to print (without the `printf: ` prefix); the value is still used. */
  warning?: string
  /** Whether the warning makes printf exit 1 (the "warning:" ones do not). */
  fails?: boolean
}

const INT_MAX = (1n << 63n) - 1n
const INT_MIN = -(1n << 63n)
const UINT_MAX = (1n << 64n) - 1n
const INTEGER_PREFIX = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/
const FLOAT_PREFIX = /^[ \t\n\v\f\r]*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)/i

function characterConstant(arg: string): Converted<number> | undefined {
  if ((arg[0] !== "'" && arg[0] !== '"') || arg.length < 2) return undefined
  const code = arg.codePointAt(1) as number
  const rest = arg.slice(1 + String.fromCodePoint(code).length)
  return rest ? { value: code, warning: `warning: ${rest}: character(s) following character constant have been ignored` } : { value: code }
}

function trailing(arg: string, matchedLength: number): Pick<Converted<unknown>, 'warning' | 'fails'> {
  if (matchedLength === arg.length) return {}
  const what = matchedLength === 0 ? 'expected a numeric value' : 'value not completely converted'
  return { warning: `${quoteLocale(arg)}: ${what}`, fails: true }
}

/** strtoimax (signed conversions) or strtoumax (o u x X) of a printf argument. */
export function convertInteger(arg: string, unsigned: boolean): Converted<bigint> {
  const char = characterConstant(arg)
  if (char) return { ...char, value: BigInt(char.value) }
  const match = INTEGER_PREFIX.exec(arg)
  if (!match) return { value: 0n, ...(arg === '' ? {} : trailing(arg, 0)) }
  const [whole, sign = '', digits = ''] = match
  const magnitude = digits.length > 1 && digits[0] === '0' && /[xX]/.test(digits[1] as string) ? BigInt(digits) : digits.startsWith('0') ? BigInt(`0o${digits}`) : BigInt(digits)
  const negative = sign === '-'
  const outOfRange = { warning: `${quoteLocale(arg)}: Numerical result out of range`, fails: true }
  if (unsigned) {
    if (magnitude > UINT_MAX) return { value: UINT_MAX, ...outOfRange }
    return { value: negative ? (UINT_MAX + 1n - magnitude) % (UINT_MAX + 1n) : magnitude, ...trailing(arg, whole.length) }
  }
  const value = negative ? -magnitude : magnitude
  if (value > INT_MAX) return { value: INT_MAX, ...outOfRange }
  if (value < INT_MIN) return { value: INT_MIN, ...outOfRange }
  return { value, ...trailing(arg, whole.length) }
}

/** strtold of a printf argument, as a double. */
export function convertFloat(arg: string): Converted<number> {
  const char = characterConstant(arg)
  if (char) return char
  const match = FLOAT_PREFIX.exec(arg)
  if (!match) return { value: 0, ...(arg === '' ? {} : trailing(arg, 0)) }
  const text = match[0].trim().toLowerCase()
  const unsigned = text.replace(/^[+-]/, '')
  const magnitude = unsigned.startsWith('inf') ? Infinity : unsigned === 'nan' ? NaN : Number(unsigned)
  return { value: text.startsWith('-') ? -magnitude : magnitude, ...trailing(arg, match[0].length) }
}
