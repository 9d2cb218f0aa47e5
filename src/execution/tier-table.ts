/**
 * The executors behind each tier. A tier whose implementation is not wired
 * reports itself unavailable, so the router answers TIER_UNAVAILABLE.
 */
import type { ExecutionTier } from '../../types/execution'
import type { TierExecutor } from './executor'
import type { TierTable } from './tiers'

export function unavailableTier(tier: ExecutionTier): TierExecutor {
  return {
    tier,
    handles: async () => false,
    isAvailable: async () => false,
    run: async () => {
      throw new Error(`tier ${tier} has no executor`)
    },
  }
}

export const DEFAULT_TIERS: TierTable = {
  1: unavailableTier(1),
  2: unavailableTier(2),
  3: unavailableTier(3),
  4: unavailableTier(4),
}
