#!/usr/bin/env node
/**
 * Records what real bash answers for every corpus line, so the tier-1 test
 * can compare without bash at test time.
 *
 *   node test/execution/shell/corpus/record-corpus.mjs     # rewrites corpus.json
 *
 * Each line runs with bash -c in a fresh temp dir holding FIXTURES (cwd),
 * with LC_ALL=C.UTF-8, TZ=UTC and HOME=/home/corpus; stdout, exit status
 * and the resulting file changes are kept. A line `bash -n` rejects is a
 * mistake in the corpus and stops the recording.
 */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runBash } from './bash-run.mjs'
import { corpusLines, FIXTURES } from './lines.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const cases = []
for (const line of corpusLines()) {
  const check = spawnSync('bash', ['-n', '-c', line])
  if (check.status !== 0) throw new Error(`bash -n rejects ${JSON.stringify(line)}: ${check.stderr}`)
  cases.push({ line, ...(await runBash(line)) })
}
writeFileSync(join(here, 'corpus.json'), `${JSON.stringify({ fixtures: FIXTURES, cases }, null, 1)}\n`)
console.log(`recorded ${cases.length} lines`)
