/**
 * Budget alerts (FR-BUD-4) on the agent's status stream: crossing the soft
 * threshold emits `budget.alert`, reaching the limit emits `budget.exceeded`
 * (new tasks are refused from then on). Crossings of tenant and user ledgers
 * arrive when the agent settles its usage with them (see outbound.ts).
 */
import type { AgentRuntime } from '../runtime'
import type { BudgetCrossing } from './usage'

export function publishCrossings(rt: AgentRuntime, crossings: readonly BudgetCrossing[]): void {
  for (const crossing of crossings) {
    rt.emit(crossing.level === 'soft' ? 'budget.alert' : 'budget.exceeded', { ...crossing })
  }
}
