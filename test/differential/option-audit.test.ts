/**
 * The option audit: every option the real GNU tool lists in its `--help`
 * (options.json, recorded by record-options.mjs), tried on tier 1 with the
 * same fixtures. Tier 1 must answer NOT_SUPPORTED (so the router falls back
 * to the real tool) or exactly GNU's stdout and status — never a usage error
 * of its own, a silently ignored flag or a different answer. The few that
 * still differ are listed here, each explained in docs/native.md.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain ES module shared with the GNU recorder
import { normalise } from './normalise.mjs'
import { runTier1, type Outcome } from './tier1'

interface AuditCase {
  utility: string
  option: string
  stages: string[][]
  expected: Outcome
}

const { cases } = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'options.json'), 'utf8')) as { cases: AuditCase[] }

/** `utility option` pairs tier 1 answers differently from GNU, documented in docs/native.md ("Option audit"). */
const DOCUMENTED: ReadonlySet<string> = new Set<string>([
  // fsx has no owners (tier 1 shows `fabric`, GNU here the recording user) and the two trees were written at different times.
  'ls -l',
  // Fixtures written in one go: GNU orders equal-looking times by nanoseconds, fsx keeps milliseconds (ties by name).
  'ls -t',
  // An ext4 directory is 4096 bytes, an fsx directory 0 (as in the differential harness).
  'ls -S',
  // `--file=1 -c` writes the archive to the file 1, whose bytes carry owners and times.
  'tar --file',
])

describe('option audit: every GNU option is implemented exactly or sent to tier 4', () => {
  it('covers the options of every audited utility', () => {
    expect(cases.length).toBeGreaterThan(500)
  })

  it('answers each with NOT_SUPPORTED or GNU\'s bytes and status', async () => {
    const wrong: string[] = []
    let fallbacks = 0
    for (const testCase of cases) {
      const actual = normalise(testCase, await runTier1({ id: 0, family: 'audit', stages: testCase.stages })) as Outcome
      if (actual.fallback !== undefined) {
        fallbacks++
        continue
      }
      const same = JSON.stringify([actual.stdout, actual.stdoutBase64, actual.exitCode, actual.files]) === JSON.stringify([testCase.expected.stdout, testCase.expected.stdoutBase64, testCase.expected.exitCode, testCase.expected.files])
      if (!same && !DOCUMENTED.has(`${testCase.utility} ${testCase.option}`)) {
        wrong.push(`${testCase.utility} ${testCase.option}: ${JSON.stringify(testCase.stages)}\n  want ${JSON.stringify(testCase.expected)}\n  got  ${JSON.stringify(actual)}`)
      }
    }
    console.log(`option audit: ${cases.length} options; ${fallbacks} sent to tier 4, ${cases.length - fallbacks - wrong.length} answered as GNU (or documented), ${wrong.length} wrong`)
    expect(wrong).toEqual([])
  }, 600_000)
})
