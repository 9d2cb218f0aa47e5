/**
 * fnmatch(3) patterns (`*`, `?`, `[...]`, `[!...]`, backslash escapes) for
 * find -name and grep --include, compiled by the tier-1 regex engine.
 * `*` and `?` match any character here, `/` included, as fnmatch without
 * FNM_PATHNAME does.
 */
import { concat, type Node } from './regex/ast'
import { parseBracket } from './regex/charset'
import { RegexSyntaxError } from './regex/errors'
import { fromNode, type Regex } from './regex/index'

function char(text: string, at: number): Node {
  return { type: 'char', cp: text.codePointAt(at) as number }
}

function globNode(pattern: string): Node {
  const items: Node[] = [{ type: 'assert', kind: 'text-start' }]
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string
    if (c === '*') items.push({ type: 'repeat', body: { type: 'any' }, min: 0, max: Infinity })
    else if (c === '?') items.push({ type: 'any' })
    else if (c === '[') {
      try {
        const bracket = parseBracket(pattern, i, '!^')
        items.push({ type: 'set', set: bracket.set })
        i = bracket.end - 1
      } catch (thrown) {
        // An unterminated bracket is an ordinary `[` in fnmatch.
        if (!(thrown instanceof RegexSyntaxError)) throw thrown
        items.push(char(pattern, i))
      }
    } else {
      if (c === '\\' && i + 1 < pattern.length) i++
      items.push(char(pattern, i))
      if ((pattern.codePointAt(i) as number) > 0xffff) i++
    }
  }
  items.push({ type: 'assert', kind: 'text-end' })
  return concat(items)
}

/** A whole-name matcher for `pattern` (its `test(name)` is what callers use). */
export function globToRegExp(pattern: string, ignoreCase = false): Regex {
  return fromNode(globNode(pattern), 0, { flavor: 'basic', icase: ignoreCase })
}
