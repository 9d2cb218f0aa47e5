/**
 * Cost-aware fallback: before a call moves to a dearer tier at run time (tier
 * 1 answers NOT_SUPPORTED, the operation goes to tier 4), the tier's estimate
 * is put to the caller's spend check. A refusal ends the call with
 * BUDGET_EXCEEDED naming the tier and the estimate — the dearer tier never
 * runs — and a shell line stops there (shell/stage.ts), so nothing further
 * runs either. Admission already priced the planned tiers; this prices the
 * one the plan could only list as a possible fallback.
 */
import type { ExecResult, ExecutionTier } from '../../types/execution'
import { FabricError } from '../../types/errors'
import type { ExecCall } from './executor'
import { failure, failureFromThrown } from './result'
import { costModelFrom, estimateUsd } from './route-plan/cost-model'

/** Null when the fallback may go ahead; otherwise the failed result the call ends with. */
export async function fallbackRefusal(call: ExecCall, from: ExecResult, next: ExecutionTier): Promise<ExecResult | null> {
  const check = call.options.spendCheck
  if (!check) return null
  const startedAt = performance.now()
  // The result is the last tier that ran (the dearer one never did); the error names the refused one.
  const identity = { tier: from.tier, operation: call.operation, executionId: call.options.executionId, traceId: call.options.traceId }
  try {
    const estimate = estimateUsd(costModelFrom(call.bindings), next, call.options.timeoutMs)
    try {
      await check(next, estimate)
      return null
    } catch (error) {
      if (!(error instanceof FabricError)) throw error
      const why = `'${call.operation}' would fall back from tier ${from.tier} (${from.error?.code ?? 'failed'}) to tier ${next}, estimated at $${estimate.toPrecision(3)}`
      return failure(identity, error.code, `${why}, which the budget cannot pay: ${error.message}; nothing further ran`, startedAt, {
        details: { ...error.details, tier: next, estimateUsd: estimate, fallbackFrom: from.tier },
      })
    }
  } catch (thrown) {
    // A check that broke (a ledger unreachable, a bad COST_* var) does not let the dearer tier run: fail closed.
    return failureFromThrown(identity, thrown, startedAt, 'INTERNAL', 'the budget check before falling back failed')
  }
}
