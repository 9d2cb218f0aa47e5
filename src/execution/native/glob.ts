/**
 * fnmatch(3) patterns (`*`, `?`, `[...]`, `[!...]`, backslash escapes) as
 * RegExps, for find -name and grep --include. `*` and `?` match any
 * character here, `/` included, as fnmatch without FNM_PATHNAME does.
 */
import { translateBracket } from './regex/bracket'
import { RegexSyntaxError } from './regex/errors'
import { escapeLiteral } from './regex/translate'

export function globToRegExp(pattern: string, ignoreCase = false): RegExp {
  let source = ''
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string
    if (char === '*') source += '.*'
    else if (char === '?') source += '.'
    else if (char === '[') {
      const negated = pattern[i + 1] === '!'
      const text = negated ? `[^${pattern.slice(i + 2)}` : pattern.slice(i)
      try {
        const bracket = translateBracket(text, 0)
        source += bracket.source
        i += bracket.end - 1
      } catch (thrown) {
        // An unterminated bracket is an ordinary `[` in fnmatch.
        if (!(thrown instanceof RegexSyntaxError)) throw thrown
        source += '\\['
      }
    } else if (char === '\\' && i + 1 < pattern.length) {
      source += escapeLiteral(pattern[++i] as string)
    } else source += escapeLiteral(char)
  }
  return new RegExp(`^${source}$`, `su${ignoreCase ? 'i' : ''}`)
}
