/**
 * Tier 2: a jq query on the jq service over a service binding, beside a
 * tier-1 exec on the same server (interleaved), through POST /v1/exec.
 */
import { latencyFigures, sampleInterleaved } from '../lib/measure.mjs'

export const name = 'tier2'

const JQ = { operation: 'jq', args: ['.a | length'], stdin: '{"a":[1,2,3]}' }

export async function run({ api, iterations }) {
  const check = await api('POST', '/v1/exec', JQ)
  if (check.tier !== 2 || check.stdout !== '3\n') throw new Error(`jq did not run on tier 2: ${JSON.stringify(check).slice(0, 300)}`)
  const stats = await sampleInterleaved(
    {
      tier1: () => api('POST', '/v1/exec', { operation: 'echo', args: ['3'] }),
      tier2: () => api('POST', '/v1/exec', JQ),
    },
    { iterations },
  )
  return {
    ...latencyFigures('tier2', stats.tier2),
    tier2_vs_tier1_p50: stats.tier2.p50 / stats.tier1.p50,
  }
}
