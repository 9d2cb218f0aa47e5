/**
 * Backslash escapes as GNU echo -e, printf's format and printf %b decode
 * them. They produce bytes (an octal escape is one byte, not a character),
 * and `\c` stops all further output.
 */
import type { ByteBuilder } from './bytes'
import { UsageError } from './context'

const SIMPLE: Readonly<Record<string, number>> = {
  '\\': 0x5c,
  a: 0x07,
  b: 0x08,
  e: 0x1b,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
}

const isOctal = (char: string | undefined) => char !== undefined && char >= '0' && char <= '7'
const isHex = (char: string | undefined) => char !== undefined && /^[0-9a-fA-F]$/.test(char)

/** Reads up to `max` digits of `base` from `text` at `start`; returns the value and the end index. */
function readDigits(text: string, start: number, max: number, accepts: (c: string | undefined) => boolean, base: number) {
  let value = 0
  let end = start
  while (end - start < max && accepts(text[end])) value = value * base + parseInt(text[end++] as string, base)
  return { value, end }
}

export interface EscapeOutcome {
  /** Index just past the escape. */
  next: number
  /** `\c` was seen: produce no further output. */
  stop: boolean
}

/**
 * Decodes the escape whose backslash is at `text[at]` into `out`.
 * - `echo`:   `\0NNN` and `\NNN` octal, `\xHH`; unknown escapes stay as typed.
 * - `format`: printf's format string: `\NNN` (three digits at most, leading
 *             zero included), `\xHH`, `\uHHHH`, `\UHHHHHHHH`, `\"`.
 * - `%b`:     printf's %b argument: like echo, `\0NNN` takes up to three more digits.
 */
export function decodeEscape(text: string, at: number, out: ByteBuilder, mode: 'echo' | 'format' | '%b'): EscapeOutcome {
  const char = text[at + 1]
  if (char === undefined) {
    out.byte(0x5c)
    return { next: at + 1, stop: false }
  }
  if (char === 'c') return { next: at + 2, stop: true }
  const simple = SIMPLE[char]
  if (simple !== undefined) {
    out.byte(simple)
    return { next: at + 2, stop: false }
  }
  if (char === '"' && mode !== 'echo') {
    out.byte(0x22)
    return { next: at + 2, stop: false }
  }
  if (char === 'x') {
    const { value, end } = readDigits(text, at + 2, 2, isHex, 16)
    if (end > at + 2) {
      out.byte(value)
      return { next: end, stop: false }
    }
    if (mode !== 'echo') throw new UsageError('missing hexadecimal number in escape', false)
  } else if (isOctal(char)) {
    const start = mode !== 'format' && char === '0' ? at + 2 : at + 1
    const { value, end } = readDigits(text, start, 3, isOctal, 8)
    out.byte(value)
    return { next: end, stop: false }
  } else if ((char === 'u' || char === 'U') && mode !== 'echo') {
    const digits = char === 'u' ? 4 : 8
    const { value, end } = readDigits(text, at + 2, digits, isHex, 16)
    if (end - (at + 2) !== digits) throw new UsageError('missing hexadecimal number in escape', false)
    out.text(String.fromCodePoint(value))
    return { next: end, stop: false }
  }
  out.byte(0x5c)
  out.text(char)
  return { next: at + 2, stop: false }
}

/** Decodes every escape in `text` (echo -e and %b); returns true when `\c` stopped output. */
export function decodeAllEscapes(text: string, out: ByteBuilder, mode: 'echo' | '%b'): boolean {
  let i = 0
  while (i < text.length) {
    const slash = text.indexOf('\\', i)
    if (slash === -1) {
      out.text(text.slice(i))
      return false
    }
    out.text(text.slice(i, slash))
    const outcome = decodeEscape(text, slash, out, mode)
    if (outcome.stop) return true
    i = outcome.next
  }
  return false
}
