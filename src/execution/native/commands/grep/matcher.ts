/**
 * grep's patterns compiled once. Patterns without back-references are
 * joined into one alternation, so a line is scanned once however many -e/-f
 * patterns there are; each pattern with a back-reference keeps its own
 * Regex, so its `\1` numbering stays its own. -F makes literals, -w and -x
 * wrap, -i folds. `firstMatch` gives the leftmost match over all patterns
 * (the longest at that position), which is what -o prints.
 */
import { alternation, hasBackref, literal, type Node } from '../../regex/ast'
import { fromNode, type Regex, type StepCounter } from '../../regex/index'
import { parsePosix } from '../../regex/parse'

export interface MatcherOptions {
  syntax: 'basic' | 'extended' | 'fixed'
  ignoreCase: boolean
  wordRegexp: boolean
  lineRegexp: boolean
}

export interface Match {
  index: number
  end: number
}

export class Matcher {
  private readonly regexes: Regex[] = []
  /** Shared by every pattern: the work done so far, which the search loop paces itself by. */
  readonly counter: StepCounter = { steps: 0 }

  constructor(patterns: readonly string[], options: MatcherOptions) {
    const regexOptions = {
      flavor: options.syntax,
      icase: options.ignoreCase,
      wrap: options.lineRegexp ? ('line' as const) : options.wordRegexp ? ('word' as const) : undefined,
      counter: this.counter,
    }
    const plain: Node[] = []
    for (const pattern of patterns) {
      const parsed =
        options.syntax === 'fixed'
          ? { node: literal(pattern), groups: 0 }
          : parsePosix(pattern, { flavor: options.syntax, rejectBareClass: true })
      if (hasBackref(parsed.node)) this.regexes.push(fromNode(parsed.node, parsed.groups, regexOptions))
      else plain.push(parsed.node)
    }
    // Group numbers do not matter without back-references, and grep never asks for group spans.
    if (plain.length > 0) this.regexes.unshift(fromNode(alternation(plain), 0, regexOptions))
  }

  test(line: string): boolean {
    return this.regexes.some((regex) => regex.test(line))
  }

  /** The leftmost non-empty match starting at or after `from`. */
  firstMatch(line: string, from: number): Match | undefined {
    let best: Match | undefined
    for (const regex of this.regexes) {
      for (let start = from; start <= line.length; ) {
        const span = regex.span(line, start)
        if (!span) break
        const [index, end] = span
        if (end === index) {
          // An empty match says nothing non-empty starts here; look further on.
          start = index + ((line.codePointAt(index) ?? 0) > 0xffff ? 2 : 1)
          continue
        }
        if (!best || index < best.index || (index === best.index && end > best.end)) best = { index, end }
        break
      }
    }
    return best
  }
}
