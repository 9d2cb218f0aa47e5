/**
 * Tier 4: `true` run through the whole fabric on tier 4 (HTTP, governance,
 * agent queue, sandboxd, bubblewrap) against the same command run by a bare
 * `bwrap` with the same namespaces and mounts, interleaved; then sandboxd on
 * its own against bare bwrap (bench/tier4.mjs), which splits the overhead into
 * the fabric's part and sandboxd's. The same operation on tier 1 through the
 * same path, interleaved too, is the floor every exec pays before a tier runs
 * (HTTP, auth, admission, the agent's queue, the WAL): tier 4's own share is
 * what lies above it.
 *
 * `tier4_floor_vs_bare_p50` is the least the ratio could be on this machine
 * with no governance at all: the durable-write floor (one HTTP request through
 * the same `wrangler dev`, one Durable Object request answered once a write is
 * durable; bench/scenarios/edge.mjs) over bare bwrap, plus sandboxd's own warm
 * exec over bare bwrap. Above 1.0, governance alone cannot bring tier 4
 * under a fresh sandbox here: sandboxd's warm exec has to get faster too.
 */
import { benchRoutes } from '../lib/bench-routes.mjs'
import { latencyFigures, sampleInterleaved } from '../lib/measure.mjs'
import { measureSandboxdOverhead, runBareBwrap } from '../tier4.mjs'

export const name = 'tier4'

export async function run({ fabric, api, iterations }) {
  const viaFabric = async () => {
    // An operation, not a command line: the shell would run `true` as its builtin.
    const result = await api('POST', '/v1/exec', { operation: 'true', args: [], tier: 4 })
    if (result.tier !== 4 || result.exitCode !== 0) throw new Error(`tier 4 did not run 'true': ${JSON.stringify(result).slice(0, 300)}`)
  }
  // The same governed path with the same operation on tier 1: what any exec costs before a tier runs it.
  const floor = async () => {
    const result = await api('POST', '/v1/exec', { operation: 'true', args: [], tier: 1 })
    if (result.tier !== 1 || result.exitCode !== 0) throw new Error(`tier 1 did not run 'true': ${JSON.stringify(result).slice(0, 300)}`)
  }
  const { durableWrite } = benchRoutes(fabric)
  const stats = await sampleInterleaved({ fabric: viaFabric, bwrap: runBareBwrap, floor, durableWrite }, { iterations, warmup: 10 })
  const sandboxd = await measureSandboxdOverhead(iterations)
  return {
    ...latencyFigures('tier4', stats.fabric),
    tier4_bare_p50_ms: stats.bwrap.p50,
    tier4_tier1_floor_p50_ms: stats.floor.p50,
    tier4_over_tier1_floor_p50_ms: stats.fabric.p50 - stats.floor.p50,
    tier4_vs_bare_p50: stats.fabric.p50 / stats.bwrap.p50,
    tier4_vs_bare_p99: stats.fabric.p99 / stats.bwrap.p99,
    tier4_durable_write_p50_ms: stats.durableWrite.p50,
    tier4_floor_vs_bare_p50: stats.durableWrite.p50 / stats.bwrap.p50 + sandboxd.tier4_sandboxd_over_bwrap_p50_ratio,
    ...sandboxd,
  }
}
