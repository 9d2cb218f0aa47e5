/**
 * Tier detection, routing and fallback.
 *
 * Detection asks the tiers in cost order whether they know an operation by
 * name; tier 4 (the Linux sandbox) runs anything, so unknown operations land
 * there. An explicit `tier` overrides detection and disables fallback: the
 * caller asked for that tier and gets its answer. Otherwise a retriable failure
 * (TIER_UNAVAILABLE, TIMEOUT, RPC_ERROR, …) moves to the next tier up that
 * knows the operation — once the caller's spend check agreed to pay that
 * tier's estimate (fallback-budget.ts).
 */
import type { ExecResult, ExecutionTier } from '../../types/execution'
import type { Env } from '../env'
import type { ExecCall, TierExecutor } from './executor'
import { failure, failureFromThrown } from './result'
import { fallbackRefusal } from './fallback-budget'
import { recordFallback, recordTierRun } from '../telemetry/execution-metrics'

export const TIER_ORDER: readonly ExecutionTier[] = [1, 2, 3, 4]

export type TierTable = Readonly<Record<ExecutionTier, TierExecutor>>

/** Whether a tier can run the operation by name; tier 4 runs anything. */
async function knows(tier: ExecutionTier, operation: string, bindings: Env, tiers: TierTable, tenantId?: string): Promise<boolean> {
  return tier === 4 || tiers[tier].handles(operation, bindings, tenantId)
}

export async function detectTier(operation: string, bindings: Env, tiers: TierTable, tenantId?: string): Promise<ExecutionTier> {
  for (const tier of TIER_ORDER) {
    if (await knows(tier, operation, bindings, tiers, tenantId)) return tier
  }
  return 4
}

async function runOn(tier: ExecutionTier, call: ExecCall, tiers: TierTable): Promise<ExecResult> {
  const result = await runOnTier(tier, call, tiers)
  recordTierRun(call.bindings, call.options, result) // telemetry: counts, latency, errors by code
  return result
}

async function runOnTier(tier: ExecutionTier, call: ExecCall, tiers: TierTable): Promise<ExecResult> {
  const startedAt = performance.now()
  const identity = {
    tier,
    operation: call.operation,
    executionId: call.options.executionId,
    traceId: call.options.traceId,
  }
  try {
    if (!(await tiers[tier].isAvailable(call.bindings))) {
      return failure(identity, 'TIER_UNAVAILABLE', `tier ${tier} is not available for '${call.operation}'`, startedAt)
    }
    return await tiers[tier].run(call)
  } catch (thrown) {
    // A tier that throws broke its contract; the caller still gets a result.
    return failureFromThrown(identity, thrown, startedAt)
  }
}

export async function routeAndRun(given: ExecCall, tiers: TierTable): Promise<ExecResult> {
  // Commands a utility runs (xargs, find -exec) are routed like the call that runs them.
  const call: ExecCall = {
    ...given,
    route: (operation, args, options) => routeAndRun({ ...given, operation, args, options: { ...given.options, ...options } }, tiers),
  }
  const explicit = call.options.tier
  const first = explicit ?? (await detectTier(call.operation, call.bindings, tiers, call.options.tenantId))
  let result = await runOn(first, call, tiers)
  if (explicit !== undefined || call.options.fallback === false) return result

  // Later tiers are asked whether they know the operation only once a retriable failure needs them,
  // so a successful run costs no extra lookups (tier 3's asks the module registry).
  const tried: ExecutionTier[] = []
  for (const next of TIER_ORDER) {
    if (result.ok || !result.error?.retriable || call.options.signal?.aborted) break
    if (next <= result.tier || !(await knows(next, call.operation, call.bindings, tiers, call.options.tenantId))) continue
    const refused = await fallbackRefusal(call, result, next)
    if (refused) return tried.length > 0 ? { ...refused, fallbackFrom: tried } : refused
    recordFallback(call.bindings, call.options, result.tier)
    const retried = await runOn(next, call, tiers)
    // A tier that is not there says nothing about the command: the caller keeps the failure that
    // sent it on (a tier-1 TIMEOUT stays TIMEOUT when no sandbox is configured), told which tier
    // could have taken it over so the next step is clear.
    if (retried.error?.code === 'TIER_UNAVAILABLE') {
      result = withUnavailableFallback(result, next)
      continue
    }
    tried.push(result.tier)
    result = retried
  }
  return tried.length > 0 ? { ...result, fallbackFrom: tried } : result
}

function withUnavailableFallback(result: ExecResult, tier: ExecutionTier): ExecResult {
  if (!result.error) return result
  const message = `${result.error.message} (tier ${tier} could take it over but is not available here)`
  return { ...result, error: { ...result.error, message } }
}
