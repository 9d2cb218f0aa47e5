/**
 * The shell corpus (corpus/lines.mjs, ≥1,000 agent-style lines) replayed on
 * tier 1 over fsx, against what real bash answered when it was recorded
 * (corpus/record-corpus.mjs → corpus/corpus.json): stdout, exit status and
 * the resulting files must be identical, except the listed known
 * differences; and at least 99 % of the lines must match.
 * test/sandboxd/shell-corpus-live.test.ts runs the same comparison against
 * bash live.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import corpus from './corpus/corpus.json'
import { KNOWN_DIFFERENCES, REQUIRED_SHARE } from './corpus/known-differences'
import { runTier1 } from './corpus/tier1-run'
import { freshFs } from '../native/harness'

interface RecordedCase {
  line: string
  stdout: string
  exitCode: number
  changed: Record<string, string>
  removed: string[]
}

const cases = corpus.cases as RecordedCase[]
const fixtures = corpus.fixtures as Record<string, string>

describe('tier 1 answers the shell corpus like bash', () => {
  it(`holds at least 1,000 lines, and at least ${REQUIRED_SHARE * 100} % are outside the known differences`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(1000)
    const known = cases.filter((c) => c.line in KNOWN_DIFFERENCES).length
    expect(known).toBe(Object.keys(KNOWN_DIFFERENCES).length)
    expect((cases.length - known) / cases.length).toBeGreaterThanOrEqual(REQUIRED_SHARE)
  })

  for (const recorded of cases) {
    const known = KNOWN_DIFFERENCES[recorded.line]
    it(`${known ? 'still differs: ' : ''}${JSON.stringify(recorded.line).slice(0, 120)}`, async () => {
      const outcome = await runTier1(freshFs(), fixtures, recorded.line, env)
      const actual = { stdout: outcome.stdout, exitCode: outcome.exitCode, changed: outcome.changed, removed: outcome.removed }
      const expected = { stdout: recorded.stdout, exitCode: recorded.exitCode, changed: recorded.changed, removed: recorded.removed }
      if (known) expect(actual).not.toEqual(expected)
      else expect(actual).toEqual(expected)
    })
  }
})
