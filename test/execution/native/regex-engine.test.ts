/**
 * The regex engine's guarantees: linear work on pathological patterns
 * (asserted as a step count, not time), a bounded back-reference matcher
 * that fails with REGEX_TOO_COMPLEX, and the grep/sed answers it fixed —
 * expected bytes are what GNU grep 3.8 / sed 4.9 print on this machine.
 */
import { describe, expect, it } from 'vitest'
import { compileRegex } from '../../../src/execution/native/regex/index'
import { RegexTooComplex } from '../../../src/execution/native/regex/errors'
import { freshFs, runNative } from './harness'

const decode = (bytes: Uint8Array | string | undefined) => (typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes))

function stepsFor(pattern: string, text: string): number {
  const regex = compileRegex(pattern, { flavor: 'extended' })
  regex.exec(text)
  return regex.counter.steps
}

describe('linear time', () => {
  const cases: Array<[string, (n: number) => string]> = [
    ['(a+)+$', (n) => `${'a'.repeat(n)}b`],
    ['(a|a)*b', (n) => 'a'.repeat(n)],
    ['(a*)*b', (n) => 'a'.repeat(n)],
    ['(a|aa)*c', (n) => 'a'.repeat(n)],
    ['(x+x+)+y', (n) => 'x'.repeat(n)],
  ]
  for (const [pattern, input] of cases) {
    it(`${pattern} over 10,000 characters takes a bounded number of steps that grows linearly`, () => {
      const small = stepsFor(pattern, input(10_000))
      const large = stepsFor(pattern, input(20_000))
      expect(small).toBeLessThan(10_000 * 40)
      expect(large / small).toBeLessThan(2.05)
    })
  }
})

describe('back-references', () => {
  it('match through the backtracker with group spans', () => {
    const match = compileRegex('\\(a*\\)b\\1', { flavor: 'basic' }).exec('xaabaa')
    expect(match && [match.start, match.end, match.groups[1]]).toEqual([1, 6, [1, 3]])
  })

  it('stop at the step budget with RegexTooComplex instead of hanging', () => {
    // Every split of the a's into iterations has to be tried before `b\1c` fails on `bxc`.
    const regex = compileRegex('\\(a*\\)*b\\1c', { flavor: 'basic' })
    expect(() => regex.test(`${'a'.repeat(40)}bxc`)).toThrow(RegexTooComplex)
  })

  it('give grep the REGEX_TOO_COMPLEX code', async () => {
    const result = await runNative(freshFs(), ['grep', '-c', '\\(a*\\)*b\\1c'], { stdin: `${'a'.repeat(40)}bxc\n` })
    expect(result).toMatchObject({ ok: false, exitCode: 2, error: { code: 'REGEX_TOO_COMPLEX', retriable: true } })
  })
})

describe('answers the engine fixed', () => {
  const cases: Array<[string[], string, string]> = [
    [['grep', '-oE', 'a|ab'], 'ab\n', 'ab\n'],
    [['grep', '-cE', '(a+)+$'], `${'a'.repeat(10_000)}b\n`, '0\n'],
    [['grep', '-A0', 'a'], 'a\nb\na\na\nc\na\n', 'a\n--\na\na\n--\na\n'],
    [['grep', '-n', '-C', '0', 'a'], 'a\nb\na\n', '1:a\n--\n3:a\n'],
    [['grep', '--color=always', 'foo'], 'foo bar foo\n', '\x1b[01;31m\x1b[Kfoo\x1b[m\x1b[K bar \x1b[01;31m\x1b[Kfoo\x1b[m\x1b[K\n'],
    [['grep', '--color=always', '-n', 'a'], 'xay\n', '\x1b[32m\x1b[K1\x1b[m\x1b[K\x1b[36m\x1b[K:\x1b[m\x1b[Kx\x1b[01;31m\x1b[Ka\x1b[m\x1b[Ky\n'],
    [['sed', 's/[^/]*$//'], 'a/b/c\n', 'a/b/\n'],
    [['sed', 's/[\\/]/X/g'], 'a\\b/\n', 'aXbX\n'],
    [['sed', 's/[\\t]/X/g'], 'a\tb\n', 'aXb\n'],
    [['sed', '-E', 's/(a|ab)(b*)/[\\1][\\2]/'], 'ab\n', '[a][b]\n'],
    [['sed', '-E', 's/(a+)+$/X/'], `${'a'.repeat(10_000)}b\n`, `${'a'.repeat(10_000)}b\n`],
  ]
  for (const [argv, stdin, stdout] of cases) {
    it(`${argv.join(' ')}`, async () => {
      const result = await runNative(freshFs(), argv, { stdin })
      expect(decode(result.stdout)).toBe(stdout)
    })
  }
})

describe('deadline', () => {
  it('stops a sed loop that never ends at timeoutMs', async () => {
    const result = await runNative(freshFs(), ['sed', ':a;ba'], { stdin: 'x\n', timeoutMs: 300 })
    expect(result).toMatchObject({ ok: false, exitCode: 124, error: { code: 'TIMEOUT' } })
  })
})
