#!/usr/bin/env node
/**
 * Records what the real GNU tools print for the awk, xargs and find
 * differential suites (gawk invoked as `awk`, findutils' find and xargs), so
 * the tier-1 replay (differential.test.ts) asserts byte equality without GNU
 * at test time. The same runner as test/execution/native/record-golden.mjs:
 * each case runs in a fresh temp dir holding FIXTURES with LC_ALL=C.UTF-8,
 * TZ=UTC and umask 022, and its stdout, stderr and exit status are kept.
 *
 *   node test/execution/native/differential/record.mjs           # rewrites <suite>.json
 *   node test/execution/native/differential/record.mjs --check   # live: GNU must still agree with the recording
 *
 * --check is the live comparison CI runs: it fails when this machine's GNU
 * tools answer differently from what the tier-1 suite is held to.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AWK_CASES } from './awk-cases.mjs'
import { FIND_CASES } from './find-cases.mjs'
import { FIXTURES } from './fixtures.mjs'
import { materialise } from '../materialise.mjs'
import { XARGS_CASES } from './xargs-cases.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const SUITES = { awk: AWK_CASES, xargs: XARGS_CASES, find: FIND_CASES }

/** A bin dir whose `awk` is gawk (the machine's awk may be mawk), so diagnostics say `awk:` as tier 1 does. */
function oracleBin() {
  const bin = mkdtempSync(join(tmpdir(), 'oracle-bin-'))
  const gawk = spawnSync('sh', ['-c', 'command -v gawk']).stdout.toString().trim()
  if (!gawk) throw new Error('gawk is not installed: apt-get install -y gawk')
  symlinkSync(gawk, join(bin, 'awk'))
  return bin
}

function run(bin, testCase) {
  const dir = mkdtempSync(join(tmpdir(), 'differential-'))
  try {
    materialise(dir, FIXTURES)
    const [command, ...args] = testCase.argv
    const result = spawnSync(command, args, {
      cwd: dir,
      input: testCase.stdin ?? '',
      env: { PATH: `${bin}:${process.env.PATH}`, LC_ALL: 'C.UTF-8', TZ: 'UTC' },
    })
    return { ...testCase, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8'), exitCode: result.status }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

process.umask(0o022)
const check = process.argv.includes('--check')
const bin = oracleBin()
let differences = 0
try {
  for (const [suite, cases] of Object.entries(SUITES)) {
    const recorded = cases.map((testCase) => run(bin, testCase))
    const out = join(here, `${suite}.json`)
    if (check) {
      const expected = JSON.parse(readFileSync(out, 'utf8')).cases
      recorded.forEach((actual, index) => {
        const wanted = expected[index]
        // A refused case is only checked for its refusal on tier 1; its GNU output (find -ls: inodes, times) is not compared.
        if (actual.refused) return
        const same = wanted && ['stdout', 'stderr', 'exitCode'].every((key) => JSON.stringify(wanted[key]) === JSON.stringify(actual[key]))
        if (!same) {
          differences++
          console.error(`${suite}: ${JSON.stringify(actual.argv)} differs from the recording`)
        }
      })
      continue
    }
    writeFileSync(out, `${JSON.stringify({ fixtures: FIXTURES, cases: recorded }, null, 1)}\n`)
    console.log(`${suite}: ${recorded.length} cases → ${out}`)
  }
} finally {
  rmSync(bin, { recursive: true, force: true })
}
if (differences > 0) {
  console.error(`${differences} cases differ: re-record (node ${process.argv[1]}) if the GNU tools changed on purpose`)
  process.exit(1)
}
