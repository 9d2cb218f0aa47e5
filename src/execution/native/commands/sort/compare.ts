/**
 * GNU sort's comparison: keys (-k), per-key and global orderings (-b -d -f
 * -i -n -r), and the last-resort whole-line comparison that breaks ties
 * unless -s or -u. Text compares by code point, which is the byte order of
 * UTF-8 and what sort does in the C.UTF-8 locale.
 */
import { UnsupportedFeature, UsageError } from '../../context'
import { quoteLocale } from '../../quote'

export interface Ordering {
  skipStartBlanks: boolean
  skipEndBlanks: boolean
  dictionary: boolean
  foldCase: boolean
  printableOnly: boolean
  numeric: boolean
  reverse: boolean
}

export interface KeyField extends Ordering {
  /** 0-based field and character of the start. */
  startField: number
  startChar: number
  /** 0-based end field; Infinity for the end of the line. `endChar` 0 means the end of that field. */
  endField: number
  endChar: number
}

export const NO_ORDERING: Ordering = {
  skipStartBlanks: false,
  skipEndBlanks: false,
  dictionary: false,
  foldCase: false,
  printableOnly: false,
  numeric: false,
  reverse: false,
}

const isBlank = (char: string | undefined) => char === ' ' || char === '\t'

export function hasOrdering(ordering: Ordering): boolean {
  return (Object.keys(NO_ORDERING) as Array<keyof Ordering>).some((name) => ordering[name])
}

/** Applies ordering letters (`nr`, `b` …) from `text` at `at`; returns the index after them. */
export function applyOrderingLetters(text: string, at: number, ordering: Ordering, blanksEnd: boolean): number {
  let i = at
  for (; i < text.length; i++) {
    const letter = text[i] as string
    if (letter === 'b') {
      if (blanksEnd) ordering.skipEndBlanks = true
      else ordering.skipStartBlanks = true
    } else if (letter === 'd') ordering.dictionary = true
    else if (letter === 'f') ordering.foldCase = true
    else if (letter === 'i') ordering.printableOnly = true
    else if (letter === 'n') ordering.numeric = true
    else if (letter === 'r') ordering.reverse = true
    else if ('ghMRV'.includes(letter)) throw new UnsupportedFeature('sort', `the '${letter}' ordering`)
    else break
  }
  return i
}

function badSpec(spec: string, problem: string): never {
  throw new UsageError(`${problem}: invalid field specification ${quoteLocale(spec)}`, false)
}

function readCount(spec: string, at: number, problem: string): { value: number; end: number } {
  const digits = /^\d+/.exec(spec.slice(at))
  if (!digits) throw new UsageError(`${problem}: invalid count at start of ${quoteLocale(spec.slice(at))}`, false)
  return { value: Number(digits[0]), end: at + digits[0].length }
}

/** Parses a -k argument: `F[.C][OPTS][,F[.C][OPTS]]`. */
export function parseKey(spec: string, global: Ordering): KeyField {
  const key: KeyField = { ...NO_ORDERING, startField: 0, startChar: 0, endField: Infinity, endChar: 0 }
  const start = readCount(spec, 0, 'invalid number at field start')
  if (start.value === 0) badSpec(spec, 'field number is zero')
  key.startField = start.value - 1
  let i = start.end
  if (spec[i] === '.') {
    const char = readCount(spec, i + 1, "invalid number after '.'")
    if (char.value === 0) badSpec(spec, 'character offset is zero')
    key.startChar = char.value - 1
    i = char.end
  }
  i = applyOrderingLetters(spec, i, key, false)
  if (spec[i] === ',') {
    const end = readCount(spec, i + 1, "invalid number after ','")
    if (end.value === 0) badSpec(spec, 'field number is zero')
    key.endField = end.value - 1
    i = end.end
    if (spec[i] === '.') {
      const char = readCount(spec, i + 1, "invalid number after '.'")
      key.endChar = char.value
      i = char.end
    }
    i = applyOrderingLetters(spec, i, key, true)
  }
  if (i < spec.length) badSpec(spec, 'stray character in field spec')
  // A key without options of its own takes the global ones (GNU's default_key_compare).
  return hasOrdering(key) ? key : { ...key, ...global }
}

/** The key's text in `line` (GNU begfield/limfield). */
export function keyText(line: string, key: KeyField, separator: string | undefined): string {
  const end = line.length
  const skipField = (from: number, more: boolean): number => {
    let at = from
    if (separator !== undefined) {
      while (at < end && line[at] !== separator) at++
      if (at < end && more) at++
      return at
    }
    while (at < end && isBlank(line[at])) at++
    while (at < end && !isBlank(line[at])) at++
    return at
  }
  let begin = 0
  for (let field = 0; field < key.startField && begin < end; field++) begin = skipField(begin, true)
  if (key.skipStartBlanks) while (begin < end && isBlank(line[begin])) begin++
  begin = Math.min(end, begin + key.startChar)

  let limit = end
  if (key.endField !== Infinity) {
    const fields = key.endChar === 0 ? key.endField + 1 : key.endField
    limit = 0
    for (let field = 0; field < fields && limit < end; field++) limit = skipField(limit, field + 1 < fields || key.endChar !== 0)
    if (key.endChar !== 0) {
      if (key.skipEndBlanks) while (limit < end && isBlank(line[limit])) limit++
      limit = Math.min(end, limit + key.endChar)
    }
  }
  return begin < limit ? line.slice(begin, limit) : ''
}

/** Compares by code point: UTF-16 surrogates (astral characters) sort above U+E000–U+FFFF. */
export function compareCodePointOrder(a: string, b: string): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    const rank = (unit: number) => (unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit)
    return rank(x) - rank(y)
  }
  return a.length - b.length
}

export interface ParsedNumber {
  /** -1, 0 or 1; 0 for zero and for text that is not a number. */
  sign: number
  /** Integer digits without leading zeros. */
  integer: string
  /** Fraction digits without trailing zeros. */
  fraction: string
  /** The value as a double when it has at most 15 significant digits (then doubles compare it exactly). */
  exact: number | undefined
}

/** The leading decimal number of a key, as GNU strnumcmp reads it (leading blanks skipped). */
export function parseNumber(text: string): ParsedNumber {
  const match = /^[ \t]*(-?)(\d*)(?:\.(\d*))?/.exec(text) as RegExpExecArray
  const integer = (match[2] ?? '').replace(/^0+/, '')
  const fraction = (match[3] ?? '').replace(/0+$/, '')
  const zero = integer === '' && fraction === ''
  const sign = zero ? 0 : match[1] === '-' ? -1 : 1
  const exact = integer.length + fraction.length <= 15 ? sign * Number(`${integer || '0'}.${fraction || '0'}`) : undefined
  return { sign, integer, fraction, exact }
}

/** Compares two numbers exactly, digit by digit, without converting them. */
export function compareParsedNumbers(x: ParsedNumber, y: ParsedNumber): number {
  if (x.exact !== undefined && y.exact !== undefined) return x.exact - y.exact
  if (x.sign !== y.sign) return x.sign - y.sign
  if (x.sign === 0) return 0
  let magnitude = x.integer.length - y.integer.length
  if (magnitude === 0) magnitude = x.integer < y.integer ? -1 : x.integer > y.integer ? 1 : 0
  if (magnitude === 0) {
    const width = Math.max(x.fraction.length, y.fraction.length)
    const fx = x.fraction.padEnd(width, '0')
    const fy = y.fraction.padEnd(width, '0')
    magnitude = fx < fy ? -1 : fx > fy ? 1 : 0
  }
  return x.sign * magnitude
}

/** The characters -d, -i and -f leave for comparison (they work on single bytes: ASCII only). */
function translate(text: string, ordering: Ordering): string {
  let out = text
  if (ordering.dictionary) out = out.replace(/[^A-Za-z0-9 \t]/gu, '')
  if (ordering.printableOnly) out = out.replace(/[^\x20-\x7e]/gu, '')
  if (ordering.foldCase) out = out.replace(/[a-z]/g, (c) => c.toUpperCase())
  return out
}

/** A key prepared once per line, so sorting compares without re-extracting or re-parsing it. */
export type PreparedKey = string | ParsedNumber

export function prepareKey(text: string, ordering: Ordering): PreparedKey {
  return ordering.numeric ? parseNumber(text) : translate(text, ordering)
}

export function comparePrepared(a: PreparedKey, b: PreparedKey, ordering: Ordering): number {
  const diff = typeof a === 'string' ? compareCodePointOrder(a, b as string) : compareParsedNumbers(a, b as ParsedNumber)
  return ordering.reverse ? -diff : diff
}
