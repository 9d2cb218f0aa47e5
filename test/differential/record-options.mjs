#!/usr/bin/env node
/**
 * The option audit's recording: for every tier-1 utility, the options the
 * real GNU tool lists in its `--help`, each turned into a command (the option,
 * `1` as its value when it takes one, then an operand set that suits the
 * utility) and what GNU answers for it over the differential fixtures.
 * option-audit.test.ts replays them on tier 1, which must answer
 * NOT_SUPPORTED (the router falls back) or exactly what GNU did.
 *
 *   node test/differential/record-options.mjs    # rewrites options.json
 */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ENV, runGnu } from './gnu.mjs'
import { normalise } from './normalise.mjs'

/** What follows the option on the command line: operands (a stage list when the tool needs a partner). */
const OPERANDS = {
  cat: ['a.txt'], head: ['a.txt'], tail: ['a.txt'], wc: ['a.txt'], grep: ['an', 'a.txt'], sort: ['nums.txt'], uniq: ['dup.txt'], cut: ['-f1', 'tabs.tsv'],
  tr: ['a-z', 'A-Z'], sed: ['s/a/X/', 'a.txt'], base64: ['a.txt'], md5sum: ['a.txt'], sha1sum: ['a.txt'], sha256sum: ['a.txt'], sha512sum: ['a.txt'],
  basename: ['/a/b.txt'], dirname: ['/a/b.txt'], ls: ['dir'], stat: ['-c', '%n %s', 'a.txt'], seq: ['3'], printf: ['%s\\n', 'x'], echo: ['x'],
  tac: ['a.txt'], tee: [], nl: ['a.txt'], fold: ['long.txt'], paste: ['sorted1.txt', 'sorted2.txt'], comm: ['sorted1.txt', 'sorted2.txt'], join: ['left.txt', 'right.txt'],
  diff: ['a.txt', 'b.txt'], cmp: ['a.txt', 'b.txt'], od: ['a.txt'], column: ['table.txt'], rev: ['a.txt'], expr: ['1', '+', '2'], truncate: ['-s', '3', 'a.txt'],
  realpath: ['a.txt'], readlink: ['a.txt'], rmdir: ['emptydir'], printenv: ['HOME'], mkdir: ['newdir'], rm: ['a.txt'], cp: ['a.txt', 'c.txt'], mv: ['a.txt', 'c.txt'],
  touch: ['a.txt'], split: ['a.txt'], du: ['dir'], env: [], pwd: [], hexdump: ['a.txt'], gzip: ['-c', 'a.txt'], gunzip: ['-c', 'x.gz'], zcat: ['x.gz'],
  date: ['-d', '@86400'], sleep: ['0'], mktemp: ['-u'], true: [], false: [],
  xargs: ['echo'], awk: ['{print $1}', 'a.txt'], timeout: ['5', 'true'], tar: ['-c', 'a.txt'],
}

/** Stages for a utility's case: the tool with OPTION first, plus a partner when its output alone says little. */
function stagesFor(utility, option) {
  const argv = [utility, ...option, ...OPERANDS[utility]]
  if (utility === 'gzip') return [argv, ['gunzip']]
  if (utility === 'gunzip' || utility === 'zcat') return [['gzip', '-c', 'a.txt'], [utility, ...option]]
  if (utility === 'tar') return [argv, ['tar', '-t']]
  if (utility === 'tee' || utility === 'xargs') return [['cat', 'a.txt'], argv]
  return [argv]
}

/** `-x`, `-x ARG`, `--name`, `--name=ARG`, `--name[=ARG]` from a --help option column. */
export function parseHelp(text) {
  const options = []
  for (const line of text.split('\n')) {
    const match = /^\s+(-[^\s,][^\t]*?)(?:\t|\s{2,}|$)/.exec(line)
    if (!match) continue
    for (const token of match[1].split(/,\s*|\t+/)) {
      const long = /^--([\w-]+)(\[?=)?/.exec(token)
      const short = /^-(\w)(?:\s+(\S+))?$/.exec(token)
      if (long) options.push({ text: `--${long[1]}`, value: long[2] === '=' ? 'required' : long[2] === '[=' ? 'optional' : 'none' })
      else if (short) options.push({ text: `-${short[1]}`, value: short[2] ? 'required' : 'none' })
    }
  }
  return options
}

const here = dirname(fileURLToPath(import.meta.url))
const utilities = Object.keys(OPERANDS).filter((name) => spawnSync(name, ['--help'], { env: ENV }).status === 0)
const cases = []
for (const utility of utilities) {
  const help = spawnSync(utility, ['--help'], { env: ENV }).stdout.toString()
  const seen = new Set()
  for (const option of parseHelp(help)) {
    if (seen.has(option.text)) continue
    seen.add(option.text)
    const argv = option.value === 'required' ? (option.text.startsWith('--') ? [`${option.text}=1`] : [option.text, '1']) : [option.text]
    const testCase = { utility, option: option.text, stages: stagesFor(utility, argv) }
    cases.push({ ...testCase, expected: normalise(testCase, runGnu(testCase)) })
  }
}
writeFileSync(join(here, 'options.json'), `${JSON.stringify({ recordedWith: 'the GNU tools of this machine, LC_ALL=C.UTF-8 TZ=UTC', cases }, null, 0)}\n`)
console.log(`${cases.length} option cases over ${utilities.length} utilities → options.json`)
