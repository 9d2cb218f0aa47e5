#!/usr/bin/env node
/**
 * Records what the real GNU tools answer for every differential case, so the
 * tier-1 comparison runs without GNU and a change of GNU shows up as a diff.
 *
 *   node test/differential/record.mjs      # rewrites expected.json
 */
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateCases, SEED } from './generate.mjs'
import { runGnu } from './gnu.mjs'
import { normalise } from './normalise.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const cases = generateCases()
const results = []
for (const testCase of cases) results.push(normalise(testCase, testCase.fixed ?? (await runGnu(testCase))))
const out = join(here, 'expected.json')
writeFileSync(out, `${JSON.stringify({ seed: SEED, recordedWith: 'GNU coreutils 9.1, grep 3.8, sed 4.9, diffutils 3.8, util-linux 2.38; LC_ALL=C.UTF-8 TZ=UTC', results }, null, 0)}\n`)
console.log(`${cases.length} cases → ${out}`)
