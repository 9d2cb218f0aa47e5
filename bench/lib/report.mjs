/** Writes bench/results/<timestamp>.json and prints the figures as JSON and a markdown table. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results')

export function machine() {
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version }
}

function format(value) {
  if (typeof value !== 'number') return String(value)
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(3)
}

function markdownTable(figures) {
  const rows = Object.entries(figures).map(([key, value]) => `| ${key} | ${format(value)} |`)
  return ['| figure | value |', '|---|---|', ...rows].join('\n')
}

export function report(figures) {
  const result = { at: new Date().toISOString(), machine: machine(), figures }
  mkdirSync(resultsDir, { recursive: true })
  const file = join(resultsDir, `${result.at.replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
  writeFileSync(join(resultsDir, 'latest.md'), `${markdownTable(figures)}\n`)
  console.log(JSON.stringify(result, null, 2))
  console.log(`\nmachine: ${result.machine.cores} cores, ${result.machine.memoryGiB} GiB, ${result.machine.cpu}\n`)
  console.log(markdownTable(figures))
  console.log(`\nwritten to ${file}`)
}
