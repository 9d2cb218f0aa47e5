/**
 * C printf number conversions (d i o u x X f F e E g G) with glibc's exact
 * results for doubles: a double is converted to its exact decimal value with
 * BigInt and rounded half-to-even there, as glibc does, instead of using
 * `toFixed` (which rounds ties up and switches to exponent form above 1e21).
 */
export interface ConversionSpec {
  flags: string
  width: number | undefined
  precision: number | undefined
  conversion: string
}

const UINT64 = 1n << 64n

function pad(body: string, sign: string, spec: ConversionSpec, zeroPadAllowed: boolean): string {
  const width = spec.width ?? 0
  const length = sign.length + body.length
  if (length >= width) return sign + body
  if (spec.flags.includes('-')) return sign + body + ' '.repeat(width - length)
  if (zeroPadAllowed && spec.flags.includes('0')) return sign + '0'.repeat(width - length) + body
  return ' '.repeat(width - length) + sign + body
}

function signOf(negative: boolean, flags: string): string {
  if (negative) return '-'
  if (flags.includes('+')) return '+'
  return flags.includes(' ') ? ' ' : ''
}

export function formatInteger(value: bigint, spec: ConversionSpec): string {
  const signed = spec.conversion === 'd' || spec.conversion === 'i'
  const negative = signed && value < 0n
  const magnitude = signed ? (negative ? -value : value) : ((value % UINT64) + UINT64) % UINT64
  const radix = { o: 8, x: 16, X: 16 }[spec.conversion] ?? 10
  let digits = magnitude.toString(radix)
  if (spec.conversion === 'X') digits = digits.toUpperCase()
  if (spec.precision !== undefined) {
    digits = spec.precision === 0 && magnitude === 0n ? '' : digits.padStart(spec.precision, '0')
  }
  let prefix = ''
  if (spec.flags.includes('#')) {
    if (spec.conversion === 'o' && !digits.startsWith('0')) digits = `0${digits}`
    if (spec.conversion !== 'o' && radix === 16 && magnitude !== 0n) prefix = spec.conversion === 'X' ? '0X' : '0x'
  }
  const sign = signed ? signOf(negative, spec.flags) : ''
  return pad(digits, sign + prefix, spec, spec.precision === undefined)
}

/** |x| as an exact fraction digits / 10^scale. */
function exactDecimal(x: number): { digits: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, Math.abs(x))
  const bits = view.getBigUint64(0)
  const biasedExponent = Number((bits >> 52n) & 0x7ffn)
  const fraction = bits & ((1n << 52n) - 1n)
  const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n)
  const exponent = (biasedExponent === 0 ? 1 : biasedExponent) - 1075
  if (exponent >= 0) return { digits: mantissa << BigInt(exponent), scale: 0 }
  return { digits: mantissa * 5n ** BigInt(-exponent), scale: -exponent }
}

/** digits / 10^drop rounded half to even. */
function roundDivide(digits: bigint, drop: number): bigint {
  if (drop <= 0) return digits * 10n ** BigInt(-drop)
  const divisor = 10n ** BigInt(drop)
  const quotient = digits / divisor
  const twiceRemainder = (digits % divisor) * 2n
  if (twiceRemainder > divisor || (twiceRemainder === divisor && quotient % 2n === 1n)) return quotient + 1n
  return quotient
}

function fixedDigits(x: number, precision: number): string {
  const { digits, scale } = exactDecimal(x)
  const rounded = roundDivide(digits, scale - precision).toString().padStart(precision + 1, '0')
  if (precision === 0) return rounded
  return `${rounded.slice(0, -precision)}.${rounded.slice(-precision)}`
}

/** The %e significand digits (precision + 1 of them) and the decimal exponent. */
function scientificParts(x: number, precision: number): { significand: string; exponent: number } {
  const { digits, scale } = exactDecimal(x)
  if (digits === 0n) return { significand: '0'.repeat(precision + 1), exponent: 0 }
  const length = digits.toString().length
  let exponent = length - 1 - scale
  let kept = roundDivide(digits, length - (precision + 1))
  if (kept.toString().length > precision + 1) {
    kept /= 10n
    exponent += 1
  }
  return { significand: kept.toString(), exponent }
}

function scientific(x: number, precision: number, alternate: boolean, upper: boolean): string {
  const { significand, exponent } = scientificParts(x, precision)
  const mantissa = precision === 0 && !alternate ? significand : `${significand[0]}.${significand.slice(1)}`
  const exp = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  return `${mantissa}${upper ? 'E' : 'e'}${exp}`
}

function stripTrailingZeros(text: string): string {
  const [mantissa, exponent] = text.split(/(?=[eE])/)
  if (!mantissa?.includes('.')) return text
  return mantissa.replace(/\.?0+$/, '') + (exponent ?? '')
}

function general(x: number, precision: number, alternate: boolean, upper: boolean): string {
  const significant = precision === 0 ? 1 : precision
  const { exponent } = scientificParts(x, significant - 1)
  const text =
    significant > exponent && exponent >= -4
      ? fixedDigits(x, significant - 1 - exponent)
      : scientific(x, significant - 1, alternate, upper)
  return alternate ? text : stripTrailingZeros(text)
}

export function formatFloat(value: number, spec: ConversionSpec): string {
  const upper = spec.conversion === 'F' || spec.conversion === 'E' || spec.conversion === 'G'
  const negative = value < 0 || Object.is(value, -0)
  const sign = signOf(negative && !Number.isNaN(value), spec.flags)
  if (!Number.isFinite(value)) {
    const word = Number.isNaN(value) ? 'nan' : 'inf'
    return pad(upper ? word.toUpperCase() : word, sign, spec, false)
  }
  const precision = spec.precision ?? 6
  const alternate = spec.flags.includes('#')
  const kind = spec.conversion.toLowerCase()
  let body: string
  if (kind === 'f') body = fixedDigits(value, precision) + (alternate && precision === 0 ? '.' : '')
  else if (kind === 'e') body = scientific(value, precision, alternate, upper)
  else body = general(value, precision, alternate, upper)
  return pad(body, sign, spec, true)
}
