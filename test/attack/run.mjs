#!/usr/bin/env node
/**
 * `npm run test:attack`: the attack run of issue 16 against a real fabric (scripts/dev.mjs on a free
 * port): the findings replayed as written, what held (isolation, path and sandbox escapes, bombs,
 * ReDoS, huge pipelines), the canary over every read route and the dev log, and 1,000 fuzzed bodies.
 * Every attack asserts the status and code, and that another tenant is still served. Exits 1 on any
 * failure. ATTACK_FUZZ sets the number of fuzzed requests (default 1000).
 */
import { canary } from './canary.mjs'
import { results } from './check.mjs'
import { newTenant, startFabric } from './fabric.mjs'
import { findings } from './findings.mjs'
import { fuzz } from './fuzz.mjs'
import { held } from './held.mjs'
import { tier3 } from './tier3.mjs'
import { disk } from './disk.mjs'

const started = performance.now()
const fabric = await startFabric()
console.log(`[attack] fabric up on ${fabric.url} (tiers: ${fabric.health.tiers.map((t) => `${t.tier}${t.available ? '' : ' down'}`).join(', ')})`)
let failed = false
try {
  const bystander = await newTenant(fabric, 'bystander')
  await findings(fabric, await newTenant(fabric, 'attacker'), bystander.admin)
  await tier3(fabric, await newTenant(fabric, 'spinner'), bystander)
  await disk(fabric, await newTenant(fabric, 'hoarder'), bystander.admin)
  await held(fabric, await newTenant(fabric, 'prober'), await newTenant(fabric, 'victim'))
  await canary(fabric, await newTenant(fabric, 'canary'))
  await fuzz(fabric, await newTenant(fabric, 'fuzzer'), bystander.admin, Number(process.env.ATTACK_FUZZ ?? 1000))
} catch (error) {
  console.error('[attack] the run stopped:', error)
  failed = true
} finally {
  fabric.stop()
}
const failures = results.filter((r) => !r.ok)
console.log(`[attack] ${results.length - failures.length}/${results.length} checks passed in ${((performance.now() - started) / 1000).toFixed(0)} s`)
process.exit(failed || failures.length > 0 ? 1 : 0)
