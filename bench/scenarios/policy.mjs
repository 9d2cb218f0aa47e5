/**
 * Policy decision cost: the compiled policy engine with 100 rules across
 * tenant, workspace and agent (bench/policy.mjs), in microseconds. Sampled
 * many more times than the HTTP figures, because a p99 of microseconds needs it.
 */
import { measurePolicyCheck } from '../policy.mjs'

export const name = 'policy'

export async function run({ iterations }) {
  return measurePolicyCheck(iterations * 500)
}
