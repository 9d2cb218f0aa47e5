/**
 * The executors behind each tier, in cost order. Tests and benchmarks may
 * pass their own table to `createExecute`; everything else uses this one.
 */
import type { ExecutionTier } from '../../types/execution'
import { esmExecutor } from './esm/index'
import type { TierExecutor } from './executor'
import { nativeExecutor } from './native/index'
import { rpcExecutor } from './rpc/index'
import { sandboxExecutor } from './sandbox/executor'
import type { TierTable } from './tiers'

/** A tier with nothing behind it: the router answers TIER_UNAVAILABLE for it. */
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
  1: nativeExecutor,
  2: rpcExecutor,
  3: esmExecutor,
  4: sandboxExecutor,
}
