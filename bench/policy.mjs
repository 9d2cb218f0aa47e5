#!/usr/bin/env node
/**
 * Policy check latency: the compiled policy engine (src/governance/policy-engine.ts,
 * bundled with esbuild and run in Node directly) deciding with 100 rules
 * across the three inheritance levels (tenant 40, workspace 30, agent 30),
 * the way the agent's Durable Object calls it once per execution. Prints
 * p50/p99/mean in microseconds for one action and for a 4-action request,
 * and the one-time compile cost, as JSON and a table.
 *
 * The D1 version read that precedes a check in the Worker (one indexed point
 * read, see policy-store.ts) is not part of this figure.
 *
 *   node bench/policy.mjs            (BENCH_ITERATIONS, default 200000)
 *
 * `npm run bench` imports `measurePolicyCheck` for its policy scenario.
 */
import { build } from 'esbuild'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { summarise } from './lib/measure.mjs'
import { report } from './lib/report.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

async function loadEngine() {
  const dir = mkdtempSync(join(tmpdir(), 'policy-bench-'))
  const outfile = join(dir, 'engine.mjs')
  await build({ entryPoints: [join(root, 'src/governance/policy-engine.ts')], bundle: true, format: 'esm', platform: 'node', outfile, logLevel: 'silent' })
  const engine = await import(pathToFileURL(outfile).href)
  rmSync(dir, { recursive: true, force: true })
  return engine
}

const EFFECTS = ['allow', 'deny', 'require_approval']
const REALMS = [
  (i) => `exec:cmd${i}`,
  (i) => `fs:read:/data/team${i}/*`,
  (i) => `fs:write:/out/${i}/*.csv`,
  (i) => `net:https://api${i}.example.com/*`,
  (i) => `intent:realm${i}.*`,
  (i) => `*secret${i}*`,
]

/** 100 rules: 40 on the tenant, 30 on a workspace, 30 on the agent, mixed realms, effects and priorities. */
function policies() {
  const levels = [
    ['tenant', 't1', 40],
    ['workspace', 'ws-1', 30],
    ['agent', 'agent-1', 30],
  ]
  let n = 0
  return levels.map(([level, id, count]) => ({
    id: `${level}-policy`,
    tenantId: 't1',
    scope: { level, id },
    priority: level === 'tenant' ? 1 : 0,
    rules: Array.from({ length: count }, () => {
      const i = n++
      return { actionPattern: REALMS[i % REALMS.length](i), effect: EFFECTS[i % EFFECTS.length] }
    }),
  }))
}

const SUBJECT = { tenantId: 't1', kind: 'exec', principal: 'tok', agentId: 'agent-1', workspaceId: 'ws-1', roles: [], attachedPolicyIds: [] }
const SINGLE = ['fs:read:/data/team7/report.csv', 'exec:cmd30', 'net:https://api9.example.com/v1/x', 'exec:unmatched', 'intent:realm4.upload', 'fs:write:/tmp/a']
const REQUEST = ['exec:cat', 'fs:read:/data/team13/in.csv', 'exec:grep', 'fs:write:/out/20/result.csv']

function measure(fn, iterations) {
  for (let i = 0; i < 10_000; i++) fn(i)
  const samples = new Float64Array(iterations)
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint()
    fn(i)
    samples[i] = Number(process.hrtime.bigint() - start) / 1000
  }
  return summarise(samples)
}

/** The figures this script prints, from `iterations` decisions of each kind. */
export async function measurePolicyCheck(iterations) {
  const { compilePolicySet } = await loadEngine()
  const compileStart = process.hrtime.bigint()
  const set = compilePolicySet(policies(), { version: 1, defaultEffect: 'allow' })
  const compileUs = Number(process.hrtime.bigint() - compileStart) / 1000
  if (set.ruleCount !== 100) throw new Error(`expected 100 rules, compiled ${set.ruleCount}`)

  const single = measure((i) => set.evaluate([SINGLE[i % SINGLE.length]], SUBJECT), iterations)
  const request = measure(() => set.evaluate(REQUEST, SUBJECT), iterations)
  return {
    policy_rules: set.ruleCount,
    policy_compile_100_rules_us: compileUs,
    policy_check_p50_us: single.p50,
    policy_check_p99_us: single.p99,
    policy_check_mean_us: single.mean,
    policy_check_4_actions_p50_us: request.p50,
    policy_check_4_actions_p99_us: request.p99,
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  report(await measurePolicyCheck(Number(process.env.BENCH_ITERATIONS ?? 200_000)))
}
