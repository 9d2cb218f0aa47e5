/**
 * POSIX bracket expressions (`[a-z]`, `[^]x]`, `[[:alpha:]]`, `[[=e=]]`,
 * `[[.-.]]`) parsed into a CharSet: code-point ranges plus named classes,
 * possibly negated. Inside brackets a backslash is an ordinary character,
 * as POSIX says. Equivalence classes hold just their character, as in
 * glibc's C.UTF-8 locale.
 */
import { CLASSES } from './chars'
import { RegexSyntaxError } from './errors'

export class CharSet {
  private readonly ascii = new Uint8Array(128)

  constructor(
    readonly negated: boolean,
    /** Inclusive [low, high] pairs, flattened. */
    private readonly ranges: readonly number[],
    private readonly classes: ReadonlyArray<(cp: number) => boolean>,
  ) {
    for (let cp = 0; cp < 128; cp++) this.ascii[cp] = this.member(cp) !== negated ? 1 : 0
  }

  private member(cp: number): boolean {
    for (let i = 0; i < this.ranges.length; i += 2) {
      if (cp >= (this.ranges[i] as number) && cp <= (this.ranges[i + 1] as number)) return true
    }
    return this.classes.some((test) => test(cp))
  }

  has(cp: number): boolean {
    return cp < 128 ? this.ascii[cp] === 1 : this.member(cp) !== this.negated
  }
}

export interface BracketResult {
  set: CharSet
  /** Index just past the closing `]`. */
  end: number
}

const UNMATCHED = 'Unmatched [, [^, [:, [., or [='

/** Reads one element at `i`: a collating symbol `[.x.]`, an equivalence class `[=x=]`, or a character. */
function readElement(pattern: string, i: number): { cp: number; end: number } {
  const kind = pattern[i + 1]
  if (pattern[i] === '[' && (kind === '.' || kind === '=')) {
    const close = pattern.indexOf(`${kind}]`, i + 2)
    if (close === -1) throw new RegexSyntaxError(UNMATCHED)
    const inner = [...pattern.slice(i + 2, close)]
    if (inner.length !== 1) throw new RegexSyntaxError('Invalid collation character')
    return { cp: (inner[0] as string).codePointAt(0) as number, end: close + 2 }
  }
  const cp = pattern.codePointAt(i) as number
  return { cp, end: i + (cp > 0xffff ? 2 : 1) }
}

/** Parses the bracket expression whose `[` is at `pattern[start]`; `negation` is `^` (regex) or `!` too (glob). */
export function parseBracket(pattern: string, start: number, negation = '^'): BracketResult {
  let i = start + 1
  const negated = negation.includes(pattern[i] ?? '')
  if (negated) i++
  const ranges: number[] = []
  const classes: Array<(cp: number) => boolean> = []
  let first = true
  for (;;) {
    if (i >= pattern.length) throw new RegexSyntaxError(UNMATCHED)
    const char = pattern[i]
    if (char === ']' && !first) return { set: new CharSet(negated, ranges, classes), end: i + 1 }
    first = false
    if (char === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2)
      if (close === -1) throw new RegexSyntaxError(UNMATCHED)
      const test = CLASSES[pattern.slice(i + 2, close)]
      if (test === undefined) throw new RegexSyntaxError('Invalid character class name')
      classes.push(test)
      i = close + 2
      continue
    }
    const low = readElement(pattern, i)
    i = low.end
    if (pattern[i] === '-' && pattern[i + 1] !== ']' && i + 1 < pattern.length) {
      const high = readElement(pattern, i + 1)
      if (low.cp > high.cp) throw new RegexSyntaxError('Invalid range end')
      ranges.push(low.cp, high.cp)
      i = high.end
      continue
    }
    ranges.push(low.cp, low.cp)
  }
}

/** True for `[:alpha:]` written without the outer brackets, which grep rejects. */
export function isBareClass(pattern: string, start: number): boolean {
  return /^\[:[a-z]+:\]/.test(pattern.slice(start))
}

/** The end of the bracket expression at `start` without building it, or -1 when it is unterminated (sed's delimiter scan). */
export function bracketEnd(pattern: string, start: number): number {
  try {
    return parseBracket(pattern, start).end
  } catch (thrown) {
    if (thrown instanceof RegexSyntaxError) return -1
    throw thrown
  }
}
