/**
 * The differential harness: ≥ 2,000 generated commands (generate.mjs) run on
 * tier 1 and compared with what the real GNU tools answered (expected.json,
 * recorded by record.mjs): stdout bytes, exit status and the resulting files.
 * A case tier 1 sends to tier 4 (NOT_SUPPORTED) counts as a fallback, not a
 * wrong answer; every remaining wrong answer must be one docs/native.md
 * documents (KNOWN_DIFFERENCES). The second test re-runs GNU live, so a
 * machine whose tools answer differently from the recording fails loudly.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain ES modules shared with the GNU recorder
import { generateCases, SEED } from './generate.mjs'
// @ts-expect-error -- plain ES modules shared with the GNU recorder
import { runGnu } from './gnu.mjs'
// @ts-expect-error -- plain ES modules shared with the GNU recorder
import { normalise } from './normalise.mjs'
import { mapConcurrent } from '../helpers/processes.mjs'
import { KNOWN_DIFFERENCES } from './known-differences'
import { runTier1, type DifferentialCase, type Outcome } from './tier1'

interface Recording {
  seed: number
  results: Outcome[]
}

const recording = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'expected.json'), 'utf8')) as Recording
const cases = generateCases() as DifferentialCase[]
/** Cases whose GNU processes run at once in the live check. */
const LIVE_CONCURRENCY = 6

const key = (testCase: DifferentialCase) => testCase.stages.map((stage) => stage.join(' ')).join(' | ')
const comparable = (outcome: Outcome) => ({ stdout: outcome.stdout, stdoutBase64: outcome.stdoutBase64, exitCode: outcome.exitCode, files: outcome.files })

describe('differential: tier 1 against GNU', () => {
  it('the recording matches the generator (same seed, same cases)', () => {
    expect(recording.seed).toBe(SEED)
    expect(recording.results).toHaveLength(cases.length)
    expect(cases.length).toBeGreaterThanOrEqual(2000)
  })

  it('answers ≥ 99.5 % of the cases byte for byte, and every other answer is a fallback or a documented difference', async () => {
    let exact = 0
    const fallbacks: string[] = []
    const wrong: string[] = []
    const only = process.env.DIFFERENTIAL_ONLY
    // DIFFERENTIAL_REPORT=file: every case as it starts, then the misses and fallbacks in full.
    const report = process.env.DIFFERENTIAL_REPORT
    if (report) writeFileSync(report, '')
    for (const testCase of cases) {
      if (only && testCase.family !== only) continue
      if (report) appendFileSync(report, `> ${key(testCase)}\n`)
      const expected = normalise(testCase, recording.results[testCase.id]) as Outcome
      const actual = normalise(testCase, await runTier1(testCase)) as Outcome
      if (report && actual.fallback === undefined && JSON.stringify(comparable(actual)) !== JSON.stringify(comparable(expected))) {
        appendFileSync(report, `MISS ${key(testCase)}\n  want ${JSON.stringify(comparable(expected))}\n  got  ${JSON.stringify(comparable(actual))}\n`)
      }
      if (actual.fallback !== undefined) fallbacks.push(`${key(testCase)} — ${actual.fallback}`)
      else if (JSON.stringify(comparable(actual)) === JSON.stringify(comparable(expected))) exact++
      else if (!KNOWN_DIFFERENCES.has(key(testCase))) wrong.push(`${key(testCase)}\n  want ${JSON.stringify(comparable(expected))}\n  got  ${JSON.stringify(comparable(actual))}`)
    }
    const documented = cases.length - exact - fallbacks.length - wrong.length
    // A fallback is the router's correct move (tier 4 runs the real tool), so the figure is over the cases tier 1 answers.
    const answered = cases.length - fallbacks.length
    const percent = (100 * exact) / answered
    console.log(
      `differential: ${cases.length} cases; tier 1 answers ${answered}, ${exact} byte-exact (${percent.toFixed(2)} %; ${((100 * exact) / cases.length).toFixed(2)} % of all cases), ` +
        `${fallbacks.length} sent to tier 4 (NOT_SUPPORTED), ${documented} documented differences, ${wrong.length} undocumented`,
    )
    if (report) appendFileSync(report, `${fallbacks.map((line) => `FALLBACK ${line}`).join('\n')}\n`)
    expect(wrong).toEqual([])
    if (only) return
    expect(percent).toBeGreaterThanOrEqual(99.5)
  }, 600_000)

  it('the recording is what the GNU tools of this machine answer now', async () => {
    const drift: string[] = []
    const liveCases = cases.filter((testCase) => !testCase.fixed)
    // Several cases at once: each is a few short processes, and one at a time the run waits on their start-ups.
    const answers = await mapConcurrent(liveCases, LIVE_CONCURRENCY, (testCase) => runGnu(testCase) as Promise<Outcome>)
    for (const [index, testCase] of liveCases.entries()) {
      const live = normalise(testCase, answers[index]) as Outcome
      // Both sides normalised alike: a recording made before a normalisation existed still compares.
      const recorded = normalise(testCase, recording.results[testCase.id] as Outcome) as Outcome
      if (JSON.stringify(comparable(live)) !== JSON.stringify(comparable(recorded))) drift.push(key(testCase))
    }
    expect(drift).toEqual([])
  }, 900_000)
})
