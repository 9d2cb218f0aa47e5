import { describe, expect, it } from 'vitest'
import { compileGlob, GlobSyntaxError } from '../../src/governance/glob'

describe('compileGlob', () => {
  const cases: Array<[pattern: string, subject: string, matches: boolean]> = [
    ['exec:rm', 'exec:rm', true],
    ['exec:rm', 'exec:rmdir', false],
    ['exec:*', 'exec:rm', true],
    ['exec:*', 'exec:', true],
    ['exec:*', 'fs:read:/a', false],
    ['*', 'anything:at/all', true],
    ['*', '', true],
    ['fs:write:/tmp/*', 'fs:write:/tmp/a/b/c.txt', true],
    ['fs:write:/tmp/*', 'fs:write:/tmpx', false],
    ['fs:*:/etc/*', 'fs:read:/etc/passwd', true],
    ['fs:*:/etc/*', 'fs:write:/etc/hosts', true],
    ['fs:*:/etc/*', 'fs:read:/home/etc/x', false],
    ['tier:?', 'tier:4', true],
    ['tier:?', 'tier:10', false],
    ['net:https://*.example.com/*', 'net:https://api.example.com/v1', true],
    ['net:https://*.example.com/*', 'net:https://example.com/v1', false],
    ['*.txt', 'fs:read:/a.txt', true],
    ['*.txt', 'fs:read:/a.txt.bak', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYbZc', true],
    ['a*b*c', 'acb', false],
    ['a**b', 'aXXb', true],
    ['ab*ba', 'aba', false],
    ['ab*ba', 'abba', true],
    ['exec:\\*', 'exec:*', true],
    ['exec:\\*', 'exec:rm', false],
    ['exec:\\?', 'exec:x', false],
    ['intent:content.?pload', 'intent:content.upload', true],
  ]
  it.each(cases)('%s against %s → %s', (pattern, subject, expected) => {
    expect(compileGlob(pattern).matches(subject)).toBe(expected)
  })

  it('measures specificity as literal characters and flags exact patterns', () => {
    expect(compileGlob('exec:rm')).toMatchObject({ exact: true, literalCount: 7 })
    expect(compileGlob('exec:*')).toMatchObject({ exact: false, literalCount: 5 })
    expect(compileGlob('tier:?')).toMatchObject({ exact: false, literalCount: 5 })
    expect(compileGlob('exec:\\*')).toMatchObject({ exact: true, literalCount: 6 })
  })

  it('refuses a trailing lone backslash', () => {
    expect(() => compileGlob('exec:\\')).toThrow(GlobSyntaxError)
  })

  it('matches pathological patterns without exponential backtracking', () => {
    // A RegExp built naively from this glob ((a.*){30}b) takes astronomically long on a miss.
    const pattern = `${'a*'.repeat(30)}b`
    const subject = 'a'.repeat(5000)
    expect(compileGlob(pattern).matches(subject)).toBe(false)
    expect(compileGlob(pattern).matches(`${subject}b`)).toBe(true)
  })
})
