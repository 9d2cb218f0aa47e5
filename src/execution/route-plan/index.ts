/** Route plans for a validated exec request, with the deployment's cost model and the default tiers. */
import type { RouteRecord } from '../../../types/execution'
import { FabricError } from '../../../types/errors'
import type { ExecRequest } from '../../core/exec-request'
import { ParseError } from '../shell/index'
import type { Env } from '../../env'
import { DEFAULT_TIERS } from '../tier-table'
import { costModelFrom } from './cost-model'
import { buildRoutePlan, type RoutePlan } from './plan'

export type { RoutePlan, StagePlan } from './plan'

export async function planExec(bindings: Env, tenantId: string, request: ExecRequest): Promise<RoutePlan> {
  try {
    return await buildRoutePlan(request, { bindings, tenantId, tiers: DEFAULT_TIERS, model: costModelFrom(bindings) })
  } catch (error) {
    if (!(error instanceof ParseError)) throw error
    throw new FabricError('PARSE_ERROR', `${error.message}; fix the command line`, { line: error.line, column: error.column, reason: error.reason })
  }
}

/** What a result and the WAL keep of a plan. */
export function routeRecord(plan: RoutePlan): RouteRecord {
  return {
    mode: plan.mode,
    tier: plan.tier,
    why: plan.why,
    stages: plan.stages.map(({ operation, tier, why, mayFallBackTo, estimateUsd }) => ({ operation, tier, why, mayFallBackTo, estimateUsd })),
    estimateUsd: plan.estimate.usd,
  }
}
