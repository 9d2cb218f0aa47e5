/**
 * Budget alerts (FR-BUD-4) on the agent's status stream: crossing the soft
 * threshold emits `budget.alert`, reaching the limit emits `budget.exceeded`
 * (new tasks are refused from then on). Crossings of tenant and user ledgers
 * arrive when the agent settles its usage with them.
 */
import type { AgentRuntime } from '../runtime'
import type { BudgetSubject } from './agent-budget'
import type { BudgetCrossing } from './usage'

export function publishCrossings(rt: AgentRuntime, crossings: readonly BudgetCrossing[]): void {
  for (const crossing of crossings) {
    rt.emit(crossing.level === 'soft' ? 'budget.alert' : 'budget.exceeded', { ...crossing })
  }
}

/** Reports usage to the shared ledgers in the background; a failure stays unsettled and goes with the next lease. */
export function settleBudgetSoon(rt: AgentRuntime, subject: BudgetSubject): void {
  rt.ctx.waitUntil(
    rt.budget
      .settle(subject)
      .then((crossings) => publishCrossings(rt, crossings))
      .catch((error: unknown) => rt.log.warn('budget settlement failed; retried with the next lease', { error: String(error) })),
  )
}
