#!/usr/bin/env node
/**
 * `npm test`: the three vitest suites at once, each in its own process.
 *
 * They share nothing but the machine: the workerd suite (vitest.config.ts) keeps
 * one workerd busy, the Node suite (vitest.sandboxd.config.ts) and the tier-4
 * suite (vitest.tier4.config.ts) spend much of their time waiting on processes
 * they start (bash, the GNU tools, sandboxd, `npm run dev`), so on two cores the
 * three together take about as long as the longest instead of their sum. Each
 * suite's output is held back and printed whole when it ends, so three reports
 * never interleave; the exit status is non-zero when any suite failed.
 *
 * A new test file needs nothing here: it belongs to the suite whose `include`
 * matches it. `npm test -- <vitest args>` passes the arguments to every suite.
 */
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const vitest = join(root, 'node_modules', '.bin', 'vitest')

const SUITES = [
  { name: 'workerd', config: 'vitest.config.ts' },
  { name: 'node', config: 'vitest.sandboxd.config.ts' },
  { name: 'tier-4', config: 'vitest.tier4.config.ts' },
]

/** Runs one suite to its end; answers its name, exit code, seconds and everything it printed. */
function runSuite({ name, config }, extra) {
  const started = Date.now()
  // Colours only when the terminal that reads the held-back output shows them.
  const colour = process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}
  const child = spawn(vitest, ['run', '-c', config, ...extra], { cwd: root, env: { ...process.env, ...colour }, stdio: ['ignore', 'pipe', 'pipe'] })
  const chunks = []
  child.stdout.on('data', (chunk) => chunks.push(chunk))
  child.stderr.on('data', (chunk) => chunks.push(chunk))
  return new Promise((resolve) => {
    child.on('error', (error) => chunks.push(Buffer.from(`${error.message}\n`)))
    child.on('close', (code, signal) => resolve({ name, code: code ?? 1, signal, seconds: (Date.now() - started) / 1000, output: Buffer.concat(chunks).toString() }))
  })
}

const extra = process.argv.slice(2)
console.log(`npm test: ${SUITES.map((suite) => `${suite.name} (${suite.config})`).join(', ')} at once; each report follows when its suite ends`)
const started = Date.now()
const results = await Promise.all(
  SUITES.map((suite) =>
    runSuite(suite, extra).then((result) => {
      process.stdout.write(`\n── ${result.name} suite: ${result.code === 0 ? 'passed' : 'FAILED'} in ${result.seconds.toFixed(0)} s ──\n${result.output}`)
      return result
    }),
  ),
)
const failed = results.filter((result) => result.code !== 0)
console.log(`\nnpm test: ${results.map((result) => `${result.name} ${result.code === 0 ? 'passed' : 'FAILED'} (${result.seconds.toFixed(0)} s)`).join(', ')}; ${((Date.now() - started) / 1000).toFixed(0)} s in all`)
process.exit(failed.length === 0 ? 0 : 1)
