/**
 * POSIX bracket expressions (`[a-z]`, `[^]x]`, `[[:alpha:]]`, `[[=e=]]`,
 * `[[.-.]]`) translated to a JS `u`-mode character class. Inside brackets a
 * backslash is an ordinary character, as POSIX says.
 */
import { RegexSyntaxError } from './errors'

/** Character classes as glibc's UTF-8 locales define them. */
const CLASSES: Readonly<Record<string, string>> = {
  alpha: '\\p{Alphabetic}',
  digit: '0-9',
  alnum: '\\p{Alphabetic}0-9',
  upper: '\\p{Lu}',
  lower: '\\p{Ll}',
  space: ' \\t\\n\\v\\f\\r',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: '\\x20-\\x7e\\u00a0-\\u{10ffff}',
  graph: '\\x21-\\x7e\\u00a1-\\u{10ffff}',
  cntrl: '\\x00-\\x1f\\x7f',
  xdigit: '0-9A-Fa-f',
}

function classLiteral(char: string): string {
  return /[\\\]\[^-]/.test(char) ? `\\${char}` : char
}

export interface BracketResult {
  /** The JS class, e.g. `[^a-z\]]`. */
  source: string
  /** Index just past the closing `]`. */
  end: number
}

const UNMATCHED = 'Unmatched [, [^, [:, [., or [='

/** Reads one element at `i`: a collating symbol `[.x.]`, an equivalence class `[=x=]`, or a character. */
function readElement(pattern: string, i: number): { char: string; end: number } {
  const kind = pattern[i + 1]
  if (pattern[i] === '[' && (kind === '.' || kind === '=')) {
    const close = pattern.indexOf(`${kind}]`, i + 2)
    if (close === -1) throw new RegexSyntaxError(UNMATCHED)
    const inner = pattern.slice(i + 2, close)
    if ([...inner].length !== 1) throw new RegexSyntaxError('Invalid collation character')
    return { char: inner, end: close + 2 }
  }
  const char = String.fromCodePoint(pattern.codePointAt(i) as number)
  return { char, end: i + char.length }
}

/** Translates the bracket expression whose `[` is at `pattern[start]`. */
export function translateBracket(pattern: string, start: number): BracketResult {
  let i = start + 1
  let out = '['
  if (pattern[i] === '^') {
    out += '^'
    i++
  }
  let first = true
  for (;;) {
    if (i >= pattern.length) throw new RegexSyntaxError(UNMATCHED)
    const char = pattern[i]
    if (char === ']' && !first) return { source: `${out}]`, end: i + 1 }
    first = false
    if (char === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2)
      if (close === -1) throw new RegexSyntaxError(UNMATCHED)
      const members = CLASSES[pattern.slice(i + 2, close)]
      if (members === undefined) throw new RegexSyntaxError('Invalid character class name')
      out += members
      i = close + 2
      continue
    }
    const low = readElement(pattern, i)
    i = low.end
    if (pattern[i] === '-' && pattern[i + 1] !== ']' && i + 1 < pattern.length) {
      const high = readElement(pattern, i + 1)
      if ((low.char.codePointAt(0) as number) > (high.char.codePointAt(0) as number)) {
        throw new RegexSyntaxError('Invalid range end')
      }
      out += `${classLiteral(low.char)}-${classLiteral(high.char)}`
      i = high.end
      continue
    }
    out += classLiteral(low.char)
  }
}

/** True for `[:alpha:]` written without the outer brackets, which grep rejects. */
export function isBareClass(pattern: string, start: number): boolean {
  return /^\[:[a-z]+:\]/.test(pattern.slice(start))
}
