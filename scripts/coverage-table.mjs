#!/usr/bin/env node
/**
 * `npm run coverage`, second half: sums istanbul's per-file summary
 * (coverage/coverage-summary.json, written by the workerd suite run with
 * --coverage) into line and branch coverage per source folder (src/<area>,
 * types) and overall, printed as the Markdown table the README shows.
 * Exits 1 when overall line coverage is under 80 % (seed 004).
 */
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = join(import.meta.dirname, '..')
const MIN_LINE_PCT = 80
const summary = JSON.parse(readFileSync(join(root, 'coverage', 'coverage-summary.json'), 'utf8'))

/** src/agent/queue.ts → src/agent; src/index.ts → src; types/fabric.ts → types. */
function folderOf(file) {
  const parts = relative(root, file).split('/')
  return parts[0] === 'src' && parts.length > 2 ? `src/${parts[1]}` : parts[0]
}

const folders = new Map()
const add = (key, file) => {
  const sum = folders.get(key) ?? { lines: { total: 0, covered: 0 }, branches: { total: 0, covered: 0 }, files: 0 }
  for (const kind of ['lines', 'branches']) {
    sum[kind].total += file[kind].total
    sum[kind].covered += file[kind].covered
  }
  sum.files += 1
  folders.set(key, sum)
}
for (const [file, metrics] of Object.entries(summary)) {
  if (file === 'total') continue
  add(folderOf(file), metrics)
}

const pct = ({ total, covered }) => (total === 0 ? '—' : `${((100 * covered) / total).toFixed(1)} %`)
const rows = [...folders].sort(([a], [b]) => (a < b ? -1 : 1))
const total = summary.total
console.log('| folder | files | lines | branches |')
console.log('|---|---|---|---|')
for (const [folder, sum] of rows) console.log(`| \`${folder}\` | ${sum.files} | ${pct(sum.lines)} | ${pct(sum.branches)} |`)
console.log(`| **overall** | ${rows.reduce((n, [, sum]) => n + sum.files, 0)} | **${pct(total.lines)}** | **${pct(total.branches)}** |`)

if (total.lines.pct < MIN_LINE_PCT) {
  console.error(`line coverage ${total.lines.pct} % is under ${MIN_LINE_PCT} %`)
  process.exit(1)
}
