/**
 * The live differential check: every corpus line run now through the real
 * /bin/bash (in a temp dir with the fixtures) and through tier 1 (over an
 * fsx memory filesystem with the same files), comparing stdout, exit status
 * and the resulting files. At least 99 % must match, and every mismatch must
 * be a listed known difference — so a change in bash or in tier 1 shows up
 * here even before corpus.json is re-recorded.
 */
import { describe, expect, it } from 'vitest'
import type { Env } from '../../src/env'
import { createFileSystem } from '../../src/execution/fsx/index'
import { runBash } from '../execution/shell/corpus/bash-run.mjs'
import { mapConcurrent } from '../helpers/processes.mjs'
import { KNOWN_DIFFERENCES, REQUIRED_SHARE } from '../execution/shell/corpus/known-differences'
import { corpusLines, FIXTURES } from '../execution/shell/corpus/lines.mjs'
import { runTier1 } from '../execution/shell/corpus/tier1-run'

describe('tier 1 against live bash over the shell corpus', () => {
  it('matches bash on every line but the known differences', { timeout: 900_000 }, async () => {
    const lines: string[] = corpusLines()
    // Several lines at once: bash's start-up is most of a line's time, and one at a time the run waits on it.
    const outcomes = await mapConcurrent(lines, 6, async (line, index) => {
      const bash = await runBash(line)
      const fs = createFileSystem('memory', { root: `tenants/corpus-live-${index}` })
      // The native executor reads no binding; the Node suite has no Worker env to give it.
      const tier1 = await runTier1(fs, FIXTURES, line, {} as Env)
      return tier1.stdout === bash.stdout && tier1.exitCode === bash.exitCode && JSON.stringify(tier1.changed) === JSON.stringify(bash.changed) && JSON.stringify(tier1.removed) === JSON.stringify(bash.removed)
    })
    const mismatched = lines.filter((_, index) => !outcomes[index])
    expect(mismatched.filter((line) => !(line in KNOWN_DIFFERENCES))).toEqual([])
    expect((lines.length - mismatched.length) / lines.length).toBeGreaterThanOrEqual(REQUIRED_SHARE)
  })
})
