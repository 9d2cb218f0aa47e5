/**
 * The fabric against the physical limit: a bare hello-world answered by the
 * same `wrangler dev` process (src/index.ts, BENCH_BARE_ROUTE), interleaved
 * with the durable-write floor (one Durable Object request answered once one
 * write is durable: the least a governed task can cost, since it is one agent
 * request answered after its writes), the empty authenticated route, an
 * authenticated read of the agent (`GET /v1/agents/default`: the router,
 * auth and one agent call, the least a governed request adds to the empty
 * route) and the governed tier-1 exec, first with one client, then at 8
 * concurrent clients.
 * Every figure is also given as a ratio to the bare route measured in the
 * same run; the exec also to the floor, which leaves what the fabric's own
 * code costs. At 8 clients the CPU each request took is read too (cpu.mjs):
 * there, on 2 cores, throughput is bound by it.
 */
import { benchRoutes } from '../lib/bench-routes.mjs'
import { cpuMeter } from '../lib/cpu.mjs'
import { latencyFigures, sampleInterleaved, throughputInterleaved } from '../lib/measure.mjs'

export const name = 'edge'

const CONCURRENCY = 8
/** The agent an exec without `agentId` runs on (src/agent/config.ts). */
const DEFAULT_AGENT = 'default'

function operations(fabric, api) {
  const routes = benchRoutes(fabric)
  return {
    bare: routes.bare,
    durable_write: routes.durableWrite,
    empty: () => api('GET', '/v1/whoami'),
    agent_read: () => api('GET', `/v1/agents/${DEFAULT_AGENT}`),
    exec: async () => {
      const result = await api('POST', '/v1/exec', { command: 'echo hello' })
      if (result.stdout !== 'hello\n' || result.tier !== 1) throw new Error(`exec answered ${JSON.stringify(result).slice(0, 200)}`)
    },
  }
}

export async function run({ fabric, api, iterations }) {
  const ops = operations(fabric, api)
  await ops.exec() // spawns the default agent, which agent_read describes
  const single = await sampleInterleaved(ops, { iterations })
  const meter = fabric.processGroup ? cpuMeter(fabric.processGroup) : undefined
  const loaded = await throughputInterleaved(ops, { perRound: Math.max(40, iterations), rounds: 3, concurrency: CONCURRENCY, meter })
  const figures = {}
  const kinds = Object.keys(ops)
  for (const kind of kinds) {
    Object.assign(figures, latencyFigures(`edge_${kind}`, single[kind]))
    if (kind !== 'bare') {
      figures[`edge_${kind}_vs_bare_p50`] = single[kind].p50 / single.bare.p50
      figures[`edge_${kind}_vs_bare_p99`] = single[kind].p99 / single.bare.p99
    }
  }
  figures.edge_exec_vs_durable_write_p50 = single.exec.p50 / single.durable_write.p50
  for (const kind of kinds) {
    figures[`edge_c8_${kind}_per_second`] = loaded[kind].perSecond
    Object.assign(figures, latencyFigures(`edge_c8_${kind}`, loaded[kind]))
    if (kind !== 'bare') {
      figures[`edge_c8_${kind}_vs_bare_throughput`] = loaded[kind].perSecond / loaded.bare.perSecond
      figures[`edge_c8_${kind}_vs_bare_p50`] = loaded[kind].p50 / loaded.bare.p50
    }
  }
  figures.edge_c8_exec_vs_durable_write_throughput = loaded.exec.perSecond / loaded.durable_write.perSecond
  figures.edge_exec_vs_agent_read_p50 = single.exec.p50 / single.agent_read.p50
  figures.edge_c8_exec_vs_agent_read_throughput = loaded.exec.perSecond / loaded.agent_read.perSecond
  if (!meter) figures.edge_c8_cpu_error = 'CPU time is read from /proc (Linux) for a fabric the bench started'
  else {
    for (const kind of kinds) {
      for (const [part, ms] of Object.entries(loaded[kind].cpuMs)) figures[`edge_c8_${kind}_${part}_cpu_ms`] = ms
    }
    figures.edge_c8_exec_vs_bare_fabric_cpu = loaded.exec.cpuMs.fabric / loaded.bare.cpuMs.fabric
    figures.edge_c8_exec_vs_bare_machine_cpu = loaded.exec.cpuMs.machine / loaded.bare.cpuMs.machine
  }
  return figures
}
