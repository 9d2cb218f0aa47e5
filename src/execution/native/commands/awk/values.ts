/**
 * awk's values and their conversions. A value is a number, a string, a
 * "strnum" (input that looks numeric: fields, getline variables, split
 * elements, -v and ARGV assignments — it compares as a number but prints as
 * typed), or uninitialised (both "" and 0). Numbers become strings through
 * CONVFMT (OFMT for print) unless they are integral; strings become numbers
 * by their longest numeric prefix, as strtod reads it.
 */
export class StrNum {
  constructor(
    readonly str: string,
    readonly num: number,
  ) {}
}

class Uninitialised {
  readonly uninitialised = true
}

export const UNINIT = new Uninitialised()

export type Value = number | string | StrNum | Uninitialised

const NUMERIC_PREFIX = /^[ \t\n\r\f\v]*[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?/
const LOOKS_NUMERIC = /^[ \t\n\r\f\v]*[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?[ \t\n\r\f\v]*$/

/** A string from input: a strnum when the whole of it reads as a number. */
export function inputValue(text: string): Value {
  return LOOKS_NUMERIC.test(text) ? new StrNum(text, Number(text.trim())) : text
}

export function stringToNumber(text: string): number {
  const match = NUMERIC_PREFIX.exec(text)
  return match ? Number(match[0].trim()) : 0
}

export function toNumber(value: Value): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string') return stringToNumber(value)
  if (value instanceof StrNum) return value.num
  return 0
}

/** Whether a value compares as a number. */
export function isNumeric(value: Value): boolean {
  return typeof value === 'number' || value instanceof StrNum || value === UNINIT
}

/** `format` is CONVFMT or OFMT, applied through the printf engine the interpreter passes in. */
export type NumberFormatter = (format: string, value: number) => string

export function numberToString(value: number, format: string, formatter: NumberFormatter): string {
  if (Number.isNaN(value)) return '-nan'
  if (!Number.isFinite(value)) return value > 0 ? '+inf' : '-inf'
  if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString()
  return formatter(format, value)
}

export function toStringWith(value: Value, format: string, formatter: NumberFormatter): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return numberToString(value, format, formatter)
  if (value instanceof StrNum) return value.str
  return ''
}

export function truthy(value: Value): boolean {
  if (typeof value === 'number') return value !== 0
  if (typeof value === 'string') return value !== ''
  if (value instanceof StrNum) return value.num !== 0
  return false
}

/** -1, 0 or 1: numerically when both sides are numeric, else as strings (code-point order). */
export function compareValues(left: Value, right: Value, toStr: (value: Value) => string): number {
  if (isNumeric(left) && isNumeric(right)) {
    const a = toNumber(left)
    const b = toNumber(right)
    return a < b ? -1 : a > b ? 1 : 0
  }
  const a = toStr(left)
  const b = toStr(right)
  return a < b ? -1 : a > b ? 1 : 0
}
