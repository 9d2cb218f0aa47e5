/**
 * grep's patterns compiled once: every -e pattern (and every line of a
 * multi-line pattern) becomes its own RegExp, so back-references keep their
 * numbering; -F escapes, -w and -x wrap, -i adds the flag. `firstMatch`
 * gives the leftmost match over all patterns (the longest at that position),
 * which is what -o prints.
 */
import { compilePosix, escapeLiteral } from '../../regex/translate'

export interface MatcherOptions {
  syntax: 'basic' | 'extended' | 'fixed'
  ignoreCase: boolean
  wordRegexp: boolean
  lineRegexp: boolean
}

const WORD_CHAR = '[\\p{L}\\p{N}_]'

export interface Match {
  index: number
  text: string
}

export class Matcher {
  private readonly regexes: RegExp[]

  constructor(patterns: readonly string[], options: MatcherOptions) {
    const flags = `g${options.ignoreCase ? 'i' : ''}`
    this.regexes = patterns.map((pattern) => {
      let source =
        options.syntax === 'fixed'
          ? escapeLiteral(pattern)
          : compilePosix(pattern, { flavor: options.syntax, rejectBareClass: true }).source
      if (options.lineRegexp) source = `^(?:${source})$`
      else if (options.wordRegexp) source = `(?<!${WORD_CHAR})(?:${source})(?!${WORD_CHAR})`
      return new RegExp(source, `u${flags}`)
    })
  }

  test(line: string): boolean {
    return this.regexes.some((regex) => {
      regex.lastIndex = 0
      return regex.test(line)
    })
  }

  /** The leftmost non-empty match starting at or after `from`. */
  firstMatch(line: string, from: number): Match | undefined {
    let best: Match | undefined
    for (const regex of this.regexes) {
      regex.lastIndex = from
      for (let found = regex.exec(line); found; found = regex.exec(line)) {
        if (found[0] === '') {
          regex.lastIndex = found.index + 1
          continue
        }
        const better = !best || found.index < best.index || (found.index === best.index && found[0].length > best.text.length)
        if (better) best = { index: found.index, text: found[0] }
        break
      }
    }
    return best
  }
}
