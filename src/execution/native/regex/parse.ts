/**
 * POSIX basic (BRE) and extended (ERE) regular expressions, GNU flavour,
 * parsed into the AST of ./ast.
 *
 * BRE: `\( \) \{m,n\} \| \+ \?` are operators and their bare forms literal;
 * `*` is literal at the start of the expression or of a group; `^` and `$`
 * anchor only at the ends of the expression, a group or an alternative.
 * ERE: the bare forms are operators; an unmatched `)` and a `{` that does
 * not start a valid interval are literal; a quantifier with nothing to
 * repeat is dropped (grep warns, then does the same).
 * Both: `\1`–`\9`, `\< \> \b \B \w \W \s \S`, `` \` `` and `\'`, brackets
 * with classes, and (for sed) `\n \t \r \f \v \a`.
 */
import { alternation, concat, type AssertKind, type Node } from './ast'
import { CharSet, isBareClass, parseBracket } from './charset'
import { isSpaceEscape, isWordChar } from './chars'
import { RegexSyntaxError } from './errors'

export type RegexFlavor = 'basic' | 'extended'

export interface ParseOptions {
  flavor: RegexFlavor
  /** sed's escapes `\n \t \r \f \v \a` for control characters (grep has none). */
  controlEscapes?: boolean
  /** grep refuses `[:space:]` without the outer brackets. */
  rejectBareClass?: boolean
  /**
   * glibc's RE_CONTEXT_INVALID_DUP, part of the POSIX_BASIC syntax sed uses:
   * `*` or `\{` right after another repetition is an error (`a**`), where grep
   * takes it.
   */
  repeatedStarInvalid?: boolean
}

/** GNU's RE_DUP_MAX: a larger count is "Regular expression too big". */
const DUP_MAX = 32767

const ANCHOR_ESCAPES: Readonly<Record<string, AssertKind>> = {
  '<': 'word-start',
  '>': 'word-end',
  b: 'word-boundary',
  B: 'not-word-boundary',
  '`': 'text-start',
  "'": 'text-end',
}
const set = (negated: boolean, test: (cp: number) => boolean): Node => ({ type: 'set', set: new CharSet(negated, [], [test]) })
const CLASS_ESCAPES: Readonly<Record<string, Node>> = {
  w: set(false, isWordChar),
  W: set(true, isWordChar),
  s: set(false, isSpaceEscape),
  S: set(true, isSpaceEscape),
}
const CONTROL_ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, f: 12, v: 11, a: 7 }

/** One open group (or the whole expression): finished alternatives and the one being built. */
interface Frame {
  index: number
  alternatives: Node[]
  items: Node[]
}

class Parser {
  private readonly frames: Frame[] = [{ index: 0, alternatives: [], items: [] }]
  /** Whether the last item can take a quantifier (false after an anchor, `(` or `|`). */
  private quantifiable = false
  /** At the start of the expression, a group or an alternative (where BRE `*` and `^` change meaning). */
  private atStart = true
  /** Right after a `^` anchor, where BRE `*` is literal too but a second `^` is not an anchor. */
  private afterCaret = false
  /** The last item is a repetition (for `repeatedStarInvalid`). */
  private repeated = false
  private groups = 0
  private closedGroups = 0
  private i = 0
  private readonly extended: boolean

  constructor(
    private readonly pattern: string,
    private readonly options: ParseOptions,
  ) {
    this.extended = options.flavor === 'extended'
  }

  parse(): { node: Node; groups: number } {
    while (this.i < this.pattern.length) this.step()
    if (this.frames.length > 1) throw new RegexSyntaxError('Unmatched ( or \\(')
    return { node: this.finish(this.frames[0] as Frame), groups: this.groups }
  }

  private get frame(): Frame {
    return this.frames[this.frames.length - 1] as Frame
  }

  private finish(frame: Frame): Node {
    return alternation([...frame.alternatives, concat(frame.items)])
  }

  private atom(node: Node): void {
    this.frame.items.push(node)
    this.quantifiable = true
    this.atStart = false
  }

  private anchor(kind: AssertKind): void {
    this.frame.items.push({ type: 'assert', kind })
    this.quantifiable = false
    this.atStart = false
  }

  private bar(): void {
    this.frame.alternatives.push(concat(this.frame.items))
    this.frame.items = []
    this.quantifiable = false
    this.atStart = true
  }

  private quantifier(min: number, max: number): void {
    this.repeated = true
    if (!this.quantifiable) return
    const items = this.frame.items
    items[items.length - 1] = { type: 'repeat', body: items[items.length - 1] as Node, min, max }
  }

  /** BRE `$` anchors only before the end, `\)` or `\|`. */
  private atExpressionEnd(next: number): boolean {
    const rest = this.pattern.slice(next)
    return rest === '' || rest.startsWith('\\)') || rest.startsWith('\\|')
  }

  private openGroup(): void {
    this.groups++
    this.frames.push({ index: this.groups, alternatives: [], items: [] })
    this.quantifiable = false
    this.atStart = true
  }

  private closeGroup(): void {
    if (this.frames.length === 1) {
      if (this.extended) return this.atom({ type: 'char', cp: 0x29 })
      throw new RegexSyntaxError('Unmatched ) or \\)')
    }
    const frame = this.frames.pop() as Frame
    this.closedGroups++
    this.atom({ type: 'group', index: frame.index, body: this.finish(frame) })
  }

  /** Reads `m`, `m,`, `m,n` or `,n` and the closing brace; undefined when it is not an interval. */
  private interval(from: number): { min: number; max: number; end: number } | undefined {
    const close = this.extended ? '}' : '\\}'
    const match = /^(\d*)(,(\d*))?/.exec(this.pattern.slice(from)) as RegExpExecArray
    const [text, min, comma, max] = match
    const end = from + text.length
    if (!this.pattern.startsWith(close, end) || (min === '' && comma === undefined)) return undefined
    const low = Number(min || '0')
    const high = comma === undefined ? low : max ? Number(max) : Infinity
    if (max && min && low > high) throw new RegexSyntaxError('Invalid content of \\{\\}')
    if (low > DUP_MAX || (high !== Infinity && high > DUP_MAX)) throw new RegexSyntaxError('Regular expression too big')
    return { min: low, max: high, end: end + close.length }
  }

  private literal(): void {
    const cp = this.pattern.codePointAt(this.i - 1) as number
    if (cp > 0xffff) this.i++
    this.atom({ type: 'char', cp })
  }

  private step(): void {
    const char = this.pattern[this.i] as string
    // BRE: `^*` keeps `*` literal, as at the very start (`^^` is an anchor and a literal `^`).
    const starIsLiteral = !this.extended && (this.atStart || this.afterCaret)
    this.afterCaret = false
    const repeated = this.repeated
    this.repeated = false
    if (char === '\\') return this.escape(starIsLiteral, repeated)
    this.i++
    switch (char) {
      case '[': {
        if (this.options.rejectBareClass && isBareClass(this.pattern, this.i - 1)) {
          throw new RegexSyntaxError('character class syntax is [[:space:]], not [:space:]')
        }
        const bracket = parseBracket(this.pattern, this.i - 1)
        this.i = bracket.end
        return this.atom({ type: 'set', set: bracket.set })
      }
      case '.':
        return this.atom({ type: 'any' })
      case '*':
        if (starIsLiteral) return this.atom({ type: 'char', cp: 0x2a })
        this.checkRepeatable(repeated)
        return this.quantifier(0, Infinity)
      case '^':
        if (this.extended || this.atStart) {
          this.anchor('line-start')
          this.afterCaret = true
          return
        }
        return this.atom({ type: 'char', cp: 0x5e })
      case '$':
        if (this.extended || this.atExpressionEnd(this.i)) return this.anchor('line-end')
        return this.atom({ type: 'char', cp: 0x24 })
    }
    if (this.extended) {
      if (char === '(') return this.openGroup()
      if (char === ')') return this.closeGroup()
      if (char === '|') return this.bar()
      if (char === '+') return this.quantifier(1, Infinity)
      if (char === '?') return this.quantifier(0, 1)
      if (char === '{') {
        const interval = this.interval(this.i)
        if (interval) {
          this.i = interval.end
          return this.quantifier(interval.min, interval.max)
        }
      }
    }
    this.literal()
  }

  /** sed's BRE (`repeatedStarInvalid`): `*` or `\{` right after a repetition does not compile. */
  private checkRepeatable(afterRepetition: boolean): void {
    if (afterRepetition && this.options.repeatedStarInvalid) throw new RegexSyntaxError('Invalid preceding regular expression')
  }

  private escape(starIsLiteral: boolean, repeated: boolean): void {
    const next = this.pattern[this.i + 1]
    if (next === undefined) throw new RegexSyntaxError('Trailing backslash')
    this.i += 2
    if (!this.extended) {
      if (next === '(') return this.openGroup()
      if (next === ')') return this.closeGroup()
      if (next === '|') return this.bar()
      if (next === '+' || next === '?') {
        if (starIsLiteral) return this.atom({ type: 'char', cp: next.charCodeAt(0) })
        return next === '+' ? this.quantifier(1, Infinity) : this.quantifier(0, 1)
      }
      if (next === '{') {
        const interval = this.interval(this.i)
        if (!interval) throw new RegexSyntaxError('Unmatched \\{')
        if (!this.quantifiable) throw new RegexSyntaxError('Invalid preceding regular expression')
        this.checkRepeatable(repeated)
        this.i = interval.end
        return this.quantifier(interval.min, interval.max)
      }
    }
    if (next >= '1' && next <= '9') {
      if (Number(next) > this.closedGroups) throw new RegexSyntaxError('Invalid back reference')
      return this.atom({ type: 'backref', index: Number(next) })
    }
    const anchor = ANCHOR_ESCAPES[next]
    if (anchor !== undefined) return this.anchor(anchor)
    const escaped = CLASS_ESCAPES[next]
    if (escaped !== undefined) return this.atom(escaped)
    const control = this.options.controlEscapes ? CONTROL_ESCAPES[next] : undefined
    if (control !== undefined) return this.atom({ type: 'char', cp: control })
    this.literal()
  }
}

/** Parses a POSIX pattern; throws RegexSyntaxError with glibc's message. */
export function parsePosix(pattern: string, options: ParseOptions): { node: Node; groups: number } {
  return new Parser(pattern, options).parse()
}
