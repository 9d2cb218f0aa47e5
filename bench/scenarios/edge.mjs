/**
 * The fabric against the physical limit: a bare hello-world answered by the
 * same `wrangler dev` process (src/index.ts, BENCH_BARE_ROUTE), interleaved
 * with the empty authenticated route and the governed tier-1 exec, first with
 * one client, then at 8 concurrent clients. Every figure is also given as a
 * ratio to the bare route measured in the same run.
 */
import { latencyFigures, sampleInterleaved, throughputInterleaved } from '../lib/measure.mjs'

export const name = 'edge'

const CONCURRENCY = 8

async function expectText(response, expected, what) {
  const text = await response.text()
  if (!response.ok || text !== expected) throw new Error(`${what} → ${response.status}: ${text.slice(0, 200)}`)
}

function operations(fabric, api) {
  return {
    bare: async () => expectText(await fetch(`${fabric.url}/__bench/hello`), 'hello', 'GET /__bench/hello (is BENCH_BARE_ROUTE on?)'),
    empty: () => api('GET', '/v1/whoami'),
    exec: async () => {
      const result = await api('POST', '/v1/exec', { command: 'echo hello' })
      if (result.stdout !== 'hello\n' || result.tier !== 1) throw new Error(`exec answered ${JSON.stringify(result).slice(0, 200)}`)
    },
  }
}

export async function run({ fabric, api, iterations }) {
  const ops = operations(fabric, api)
  const single = await sampleInterleaved(ops, { iterations })
  const loaded = await throughputInterleaved(ops, { perRound: Math.max(40, iterations), rounds: 3, concurrency: CONCURRENCY })
  const figures = {}
  for (const kind of ['bare', 'empty', 'exec']) {
    Object.assign(figures, latencyFigures(`edge_${kind}`, single[kind]))
    if (kind !== 'bare') {
      figures[`edge_${kind}_vs_bare_p50`] = single[kind].p50 / single.bare.p50
      figures[`edge_${kind}_vs_bare_p99`] = single[kind].p99 / single.bare.p99
    }
  }
  for (const kind of ['bare', 'empty', 'exec']) {
    figures[`edge_c8_${kind}_per_second`] = loaded[kind].perSecond
    Object.assign(figures, latencyFigures(`edge_c8_${kind}`, loaded[kind]))
    if (kind !== 'bare') {
      figures[`edge_c8_${kind}_vs_bare_throughput`] = loaded[kind].perSecond / loaded.bare.perSecond
      figures[`edge_c8_${kind}_vs_bare_p50`] = loaded[kind].p50 / loaded.bare.p50
    }
  }
  return figures
}
