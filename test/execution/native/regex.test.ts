/**
 * The tier-1 POSIX BRE/ERE engine, by behaviour: what each pattern matches
 * (the leftmost-longest match, as grep -o would print it), and glibc's
 * error messages for the patterns it refuses.
 */
import { describe, expect, it } from 'vitest'
import { RegexSyntaxError } from '../../../src/execution/native/regex/errors'
import { compileRegex } from '../../../src/execution/native/regex/index'
import type { RegexFlavor } from '../../../src/execution/native/regex/parse'
import { globToRegExp } from '../../../src/execution/native/glob'

function firstMatch(pattern: string, flavor: RegexFlavor, text: string): string | null {
  const match = compileRegex(pattern, { flavor, controlEscapes: true }).exec(text)
  return match ? text.slice(match.start, match.end) : null
}

/** One test per [pattern, text, first match] row. */
function matchCases(flavor: RegexFlavor, cases: Array<[string, string, string | null]>): void {
  for (const [pattern, text, expected] of cases) {
    it(`${pattern} on ${JSON.stringify(text)} → ${JSON.stringify(expected)}`, () => {
      expect(firstMatch(pattern, flavor, text)).toBe(expected)
    })
  }
}

describe('basic regular expressions', () => {
  matchCases('basic', [
    ['a\\{2\\}', 'caaat', 'aa'],
    ['a\\{2,\\}', 'caaat', 'aaa'],
    ['a\\{,1\\}b', 'aab', 'ab'],
    ['x\\+', 'axxxb', 'xxx'],
    ['x+', 'ax+b', 'x+'],
    ['ab\\?c', 'ac', 'ac'],
    ['\\(ab\\)*c', 'ababc', 'ababc'],
    ['\\(a\\)\\1', 'xaax', 'aa'],
    ['cat\\|dog', 'hotdog', 'dog'],
    ['*a', 'b*a', '*a'],
    ['\\(*a\\)', 'b*a', '*a'],
    ['^*a', '*a', '*a'],
    ['a^b', 'a^b', 'a^b'],
    ['a$b', 'a$b', 'a$b'],
    ['^ab$', 'ab', 'ab'],
    ['(a)', '(a)', '(a)'],
    ['a{2}', 'a{2}', 'a{2}'],
    ['a**', 'aaa', 'aaa'],
    ['[]x]\\+', 'a]x]b', ']x]'],
    ['[^]a]', ']ab', 'b'],
    ['[a-c-]\\+', 'x-ab-', '-ab-'],
    ['[[:digit:][:space:]]\\+', 'ab1 2c', '1 2'],
    ['[[:alpha:]]\\+', '12héllo', 'héllo'],
    ['[\\]\\+', 'a\\\\b', '\\\\'],
    ['\\<is\\>', 'this is', 'is'],
    ['\\bis', 'this is', 'is'],
    ['\\w\\+', '  foo_1 ', 'foo_1'],
    ['a\\tb', 'a\tb', 'a\tb'],
    ['.', '😀', '😀'],
  ])
})

describe('extended regular expressions', () => {
  matchCases('extended', [
    ['a{2}', 'caaat', 'aa'],
    ['a{', 'a{', 'a{'],
    ['a{1', 'a{1', 'a{1'],
    ['a)', 'a)', 'a)'],
    ['*a', 'ba', 'a'],
    ['(ab)+', 'xababy', 'abab'],
    ['(a|b)\\1', 'abba', 'bb'],
    ['x+?', 'xxx', 'xxx'],
    ['\\(a\\)', '(a)', '(a)'],
    ['colou?r', 'color', 'color'],
  ])

  it('matches leftmost-longest as POSIX says: a|ab on ab is ab', () => {
    expect(firstMatch('a|ab', 'extended', 'ab')).toBe('ab')
    expect(firstMatch('(a|ab)(c|bcd)', 'extended', 'abcd')).toBe('abcd')
    expect(firstMatch('x*|b', 'extended', 'b')).toBe('b')
  })
})

describe('errors use glibc wording', () => {
  const cases: Array<[string, RegexFlavor, string]> = [
    ['a\\{1', 'basic', 'Unmatched \\{'],
    ['\\(a', 'basic', 'Unmatched ( or \\('],
    ['a\\)', 'basic', 'Unmatched ) or \\)'],
    ['(a', 'extended', 'Unmatched ( or \\('],
    ['[a', 'basic', 'Unmatched [, [^, [:, [., or [='],
    ['[[:nope:]]', 'basic', 'Invalid character class name'],
    ['[z-a]', 'basic', 'Invalid range end'],
    ['\\1', 'basic', 'Invalid back reference'],
    ['\\(a\\1\\)', 'basic', 'Invalid back reference'],
    ['a\\{3,1\\}', 'basic', 'Invalid content of \\{\\}'],
    ['ab\\', 'basic', 'Trailing backslash'],
    ['\\{1\\}', 'basic', 'Invalid preceding regular expression'],
    ['a{32768}', 'extended', 'Regular expression too big'],
  ]
  for (const [pattern, flavor, message] of cases) {
    it(`${flavor} ${pattern} → ${message}`, () => {
      expect(() => compileRegex(pattern, { flavor })).toThrow(new RegexSyntaxError(message))
    })
  }
})

describe('fnmatch globs (find -name, grep --include)', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*.txt', 'a.txt', true],
    ['*.txt', '.hidden.txt', true],
    ['*.txt', 'a.txt.bak', false],
    ['?.md', 'a.md', true],
    ['[!a]*', 'abc', false],
    ['[!a]*', 'bcd', true],
    ['[a-c]x', 'bx', true],
    ['\\*', '*', true],
    ['[', '[', true],
    ['a(b)+', 'a(b)+', true],
  ]
  for (const [pattern, name, matches] of cases) {
    it(`${pattern} ${matches ? 'matches' : 'does not match'} ${name}`, () => {
      expect(globToRegExp(pattern).test(name)).toBe(matches)
    })
  }
})
