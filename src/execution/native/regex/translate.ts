/**
 * POSIX basic (BRE) and extended (ERE) regular expressions, GNU flavour,
 * translated to JavaScript `u`-mode RegExp source.
 *
 * BRE: `\( \) \{m,n\} \| \+ \?` are operators and their bare forms literal;
 * `*` is literal at the start of the expression or of a group; `^` and `$`
 * anchor only at the ends of the expression, a group or an alternative.
 * ERE: the bare forms are operators; an unmatched `)` and a `{` that does
 * not start a valid interval are literal; a quantifier with nothing to
 * repeat is dropped (grep warns, then does the same).
 * Both: `\1`–`\9`, `\< \> \b \B \w \W \s \S`, `` \` `` and `\'`, brackets
 * with classes. Matching is leftmost-first (JS), not POSIX leftmost-longest:
 * `a|ab` matches `a` where GNU matches `ab` (see docs/native.md).
 */
import { isBareClass, translateBracket } from './bracket'
import { RegexSyntaxError } from './errors'

export type RegexFlavor = 'basic' | 'extended'

export interface TranslateOptions {
  flavor: RegexFlavor
  /** sed's escapes `\n \t \r \f \v \a` for control characters (grep has none). */
  controlEscapes?: boolean
  /** grep refuses `[:space:]` without the outer brackets. */
  rejectBareClass?: boolean
}

const WORD = '[\\p{L}\\p{N}_]'
/** GNU's zero-width escapes (word boundaries, buffer start and end). */
const ANCHOR_ESCAPES: Readonly<Record<string, string>> = {
  '<': `(?<!${WORD})(?=${WORD})`,
  '>': `(?<=${WORD})(?!${WORD})`,
  b: `(?:(?<!${WORD})(?=${WORD})|(?<=${WORD})(?!${WORD}))`,
  B: `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`,
  '`': '^',
  "'": '$',
}
const CLASS_ESCAPES: Readonly<Record<string, string>> = { w: WORD, W: '[^\\p{L}\\p{N}_]', s: '\\s', S: '\\S' }
const CONTROL_ESCAPES: Readonly<Record<string, string>> = { n: '\\n', t: '\\t', r: '\\r', f: '\\f', v: '\\v', a: '\\x07' }
class Translator {
  private out: string[] = []
  /** Index in `out` where the last quantifiable atom starts; -1 when there is none. */
  private atomStart = -1
  private quantified = false
  /** At the start of the expression, a group or an alternative (where BRE `*` and `^` change meaning). */
  private atStart = true
  private readonly groupStarts: number[] = []
  private closedGroups = 0
  private i = 0
  private readonly extended: boolean

  constructor(
    private readonly pattern: string,
    private readonly options: TranslateOptions,
  ) {
    this.extended = options.flavor === 'extended'
  }

  translate(): string {
    while (this.i < this.pattern.length) this.step()
    if (this.groupStarts.length > 0) throw new RegexSyntaxError('Unmatched ( or \\(')
    return this.out.join('')
  }

  private atom(source: string): void {
    this.atomStart = this.out.length
    this.quantified = false
    this.atStart = false
    this.out.push(source)
  }

  /** Something with nothing to repeat after it: an anchor, `(` or `|`. */
  private boundary(source: string, startsExpression = false): void {
    this.out.push(source)
    this.atomStart = -1
    if (startsExpression) this.atStart = true
    else if (source !== '^') this.atStart = false
  }

  private quantifier(source: string): void {
    if (this.atomStart === -1) return
    if (this.quantified) {
      // `a**` or `a{2}{3}`: POSIX repeats the repetition; JS needs a group for that.
      this.out.splice(this.atomStart, 0, '(?:')
      this.out.push(')')
    }
    this.out.push(source)
    this.quantified = true
  }

  /** BRE `$` anchors only before the end, `\)` or `\|`. */
  private atExpressionEnd(next: number): boolean {
    const rest = this.pattern.slice(next)
    return rest === '' || rest.startsWith('\\)') || rest.startsWith('\\|')
  }

  private openGroup(): void {
    this.groupStarts.push(this.out.length)
    this.boundary('(', true)
  }

  private closeGroup(): void {
    const start = this.groupStarts.pop()
    if (start === undefined) {
      if (this.extended) return this.atom('\\)')
      throw new RegexSyntaxError('Unmatched ) or \\)')
    }
    this.out.push(')')
    this.closedGroups++
    this.atomStart = start
    this.quantified = false
    this.atStart = false
  }

  /** Reads `m`, `m,`, `m,n` or `,n` and the closing brace; undefined when it is not an interval. */
  private interval(from: number): { source: string; end: number } | undefined {
    const close = this.extended ? '}' : '\\}'
    const match = /^(\d*)(,(\d*))?/.exec(this.pattern.slice(from)) as RegExpExecArray
    const [text, min, comma, max] = match
    const end = from + text.length
    if (!this.pattern.startsWith(close, end) || (min === '' && comma === undefined)) return undefined
    if (max && min && Number(min) > Number(max)) throw new RegexSyntaxError('Invalid content of \\{\\}')
    const source = comma === undefined ? `{${min}}` : `{${min || '0'},${max ?? ''}}`
    return { source, end: end + close.length }
  }

  private step(): void {
    const char = this.pattern[this.i] as string
    if (char === '\\') return this.escape()
    this.i++
    switch (char) {
      case '[': {
        if (this.options.rejectBareClass && isBareClass(this.pattern, this.i - 1)) {
          throw new RegexSyntaxError('character class syntax is [[:space:]], not [:space:]')
        }
        const bracket = translateBracket(this.pattern, this.i - 1)
        this.i = bracket.end
        return this.atom(bracket.source)
      }
      case '.':
        return this.atom('.')
      case '*':
        if (!this.extended && this.atStart) return this.atom('\\*')
        return this.quantifier('*')
      case '^':
        if (this.extended || this.atStart) return this.boundary('^')
        return this.atom('\\^')
      case '$':
        if (this.extended || this.atExpressionEnd(this.i)) return this.boundary('$')
        return this.atom('\\$')
    }
    if (this.extended) {
      if (char === '(') return this.openGroup()
      if (char === ')') return this.closeGroup()
      if (char === '|') return this.boundary('|', true)
      if (char === '+' || char === '?') return this.quantifier(char)
      if (char === '{') {
        const interval = this.interval(this.i)
        if (interval) {
          this.i = interval.end
          return this.quantifier(interval.source)
        }
      }
    }
    const codePoint = String.fromCodePoint(this.pattern.codePointAt(this.i - 1) as number)
    this.i += codePoint.length - 1
    this.atom(escapeLiteral(codePoint))
  }

  private escape(): void {
    const next = this.pattern[this.i + 1]
    if (next === undefined) throw new RegexSyntaxError('Trailing backslash')
    this.i += 2
    if (!this.extended) {
      if (next === '(') return this.openGroup()
      if (next === ')') return this.closeGroup()
      if (next === '|') return this.boundary('|', true)
      if (next === '+' || next === '?') {
        return this.atStart ? this.atom(escapeLiteral(next)) : this.quantifier(next)
      }
      if (next === '{') {
        const interval = this.interval(this.i)
        if (!interval) throw new RegexSyntaxError('Unmatched \\{')
        if (this.atomStart === -1) throw new RegexSyntaxError('Invalid preceding regular expression')
        this.i = interval.end
        return this.quantifier(interval.source)
      }
    }
    if (/[1-9]/.test(next)) {
      if (Number(next) > this.closedGroups) throw new RegexSyntaxError('Invalid back reference')
      return this.atom(`\\${next}`)
    }
    const anchor = ANCHOR_ESCAPES[next]
    if (anchor !== undefined) return this.boundary(anchor)
    const escaped = CLASS_ESCAPES[next] ?? (this.options.controlEscapes ? CONTROL_ESCAPES[next] : undefined)
    if (escaped !== undefined) return this.atom(escaped)
    const codePoint = String.fromCodePoint(this.pattern.codePointAt(this.i - 1) as number)
    this.i += codePoint.length - 1
    this.atom(escapeLiteral(codePoint))
  }
}

/** The JS source for a POSIX pattern (compile it with the `u` flag). */
export function translatePosix(pattern: string, options: TranslateOptions): string {
  return new Translator(pattern, options).translate()
}

/** Compiles a POSIX pattern; JS's own complaints (rare after translation) become RegexSyntaxError too. */
export function compilePosix(pattern: string, options: TranslateOptions & { flags?: string }): RegExp {
  const source = translatePosix(pattern, options)
  try {
    return new RegExp(source, `u${options.flags ?? ''}`)
  } catch (thrown) {
    throw new RegexSyntaxError(thrown instanceof Error ? thrown.message : 'Invalid regular expression')
  }
}

/** A fixed string as JS RegExp source. */
export function escapeLiteral(text: string): string {
  return text.replace(/[\^$\\.*+?()[\]{}|/]/g, '\\$&')
}
