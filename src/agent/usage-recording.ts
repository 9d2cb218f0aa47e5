/**
 * `POST /v1/agents/:id/usage`: model usage the agent reports (tokens, cost),
 * charged to its own budget and to its tenant's and user's ledgers, written to
 * the WAL and the status stream. Usage is a fact after the event, so it is
 * recorded even past a limit; the limit then refuses new tasks.
 */
import { traceFrom } from '../core/trace'
import type { AgentRecord } from './agent-store'
import type { UsageReport } from './budget/account'
import { publishCrossings } from './budget/alerts'
import { usageOf } from './budget/usage'
import type { AgentRuntime } from './runtime'

export interface ModelUsage {
  tokens: number
  costUsd: number
  computeSeconds: number
  model?: string
}

export function recordUsage(rt: AgentRuntime, record: AgentRecord, usage: ModelUsage, traceparent: string | undefined): UsageReport {
  const subject = rt.budgetSubject(record)
  const charged = usageOf(usage)
  rt.atomically(() => {
    const facts = { ...charged, ...(usage.model ? { model: usage.model } : {}) }
    rt.wal('usage.recorded', record.sessionId, traceFrom(traceparent).traceId, facts)
    rt.emit('usage.recorded', facts)
    publishCrossings(rt, rt.budget.charge(subject, charged))
    rt.outbound.usageCharged(rt.clock.now())
  })
  const report = rt.budget.report(subject)
  rt.telemetry.budgetUsage(record.tenantId, report) // telemetry: agent_fabric_budget_usage_ratio
  return report
}
