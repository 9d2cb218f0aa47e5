#!/usr/bin/env node
/**
 * `npm run bench`: starts the local fabric once and runs every scenario in
 * bench/scenarios against it, side by side, then reports JSON + a table.
 * `npm run bench -- tier1` runs only the named scenarios.
 * BENCH_ITERATIONS (default 200) sets the samples per latency figure.
 */
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { report } from './lib/report.mjs'
import { client, startFabric } from './lib/server.mjs'
import { createBenchTenant } from './lib/tenant.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const iterations = Number(process.env.BENCH_ITERATIONS ?? 200)

const scenarios = []
for (const file of readdirSync(join(here, 'scenarios')).filter((f) => f.endsWith('.mjs')).sort()) {
  const scenario = await import(pathToFileURL(join(here, 'scenarios', file)).href)
  if (only.length === 0 || only.includes(scenario.name)) scenarios.push(scenario)
}

const server = await startFabric()
const figures = {}
try {
  const fabric = await createBenchTenant(server)
  for (const scenario of scenarios) {
    process.stderr.write(`[bench] ${scenario.name}…\n`)
    try {
      Object.assign(figures, await scenario.run({ fabric, api: client(fabric), iterations }))
    } catch (error) {
      figures[`${scenario.name}_error`] = String(error.message ?? error)
    }
  }
} finally {
  await server.stop()
}
report(figures)
