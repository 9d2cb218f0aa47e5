/**
 * Tier-1 exec against an empty authenticated route on the same server,
 * interleaved, so the ratio says what the governed exec path costs.
 */
import { latencyFigures, sampleInterleaved } from '../lib/measure.mjs'

export const name = 'tier1'

export async function run({ api, iterations }) {
  const stats = await sampleInterleaved(
    {
      empty: () => api('GET', '/v1/whoami'),
      tier1: () => api('POST', '/v1/exec', { command: 'echo hello' }),
      tier1_pipeline: () => api('POST', '/v1/exec', { command: 'echo one two | wc -w' }),
    },
    { iterations },
  )
  return {
    ...latencyFigures('empty', stats.empty),
    ...latencyFigures('tier1', stats.tier1),
    tier1_pipeline_p50_ms: stats.tier1_pipeline.p50,
    tier1_vs_empty_p50: stats.tier1.p50 / stats.empty.p50,
    tier1_vs_empty_p99: stats.tier1.p99 / stats.empty.p99,
  }
}
