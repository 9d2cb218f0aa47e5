/**
 * Telemetry of one agent, driven by the events the agent emits on its status
 * stream (the stream's event types are the agent's public contract, so the
 * agent code needs one call, in `AgentRuntime.emit`, and nothing else):
 *
 * | event                                   | metric                                                  |
 * |-----------------------------------------|---------------------------------------------------------|
 * | task.completed / task.failed / .cancelled | agent_fabric_tasks_total{agent_id,status}, agent_fabric_task_duration_seconds |
 * | agent.state (into / out of RUNNING)     | agent_fabric_agents_active (+1 / −1)                    |
 * | usage.recorded                          | agent_fabric_tokens_total{agent_id,model}               |
 * | budget.alert / budget.exceeded          | agent_fabric_budget_usage_ratio{entity_id}              |
 *
 * and the anomaly alerts (FR-TEL-6): `budget.exceeded`, and a high error rate
 * over the agent's recent tasks, are returned for the runtime to emit as
 * `alert.raised`, and counted in agent_fabric_alerts_total{agent_id,kind}.
 */
import { ErrorRateTracker, errorRateConfig, type AgentAlert, type AlertVars } from './anomaly'
import { metrics, type MetricsBindings, type WaitUntil } from './metrics/recorder'

const FINAL_TASK_EVENTS: Readonly<Record<string, 'completed' | 'failed' | 'cancelled'>> = {
  'task.completed': 'completed',
  'task.failed': 'failed',
  'task.cancelled': 'cancelled',
}

function numberField(data: Record<string, unknown>, key: string): number | undefined {
  const value = data[key]
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

export class AgentTelemetry {
  private readonly errorRate: ErrorRateTracker

  constructor(
    private readonly env: MetricsBindings & AlertVars,
    private readonly ctx: WaitUntil,
  ) {
    this.errorRate = new ErrorRateTracker(errorRateConfig(env))
  }

  /** Records what an agent event means for the metrics; returns the alerts it raises (usually none). */
  onEvent(tenantId: string, agentId: string, type: string, data: Record<string, unknown>): AgentAlert[] {
    const m = metrics(this.env, this.ctx)
    const alerts: AgentAlert[] = []
    const status = FINAL_TASK_EVENTS[type]
    if (status) {
      m.count('agent_fabric_tasks_total', { tenant_id: tenantId, agent_id: agentId, status })
      const durationMs = numberField(data, 'durationMs')
      if (durationMs !== undefined) m.observe('agent_fabric_task_duration_seconds', { tenant_id: tenantId }, durationMs / 1000)
      // A cancellation says nothing about the agent's health.
      const alert = status === 'cancelled' ? undefined : this.errorRate.record(status === 'failed')
      if (alert) alerts.push(alert)
    } else if (type === 'agent.state') {
      const delta = (data.to === 'RUNNING' ? 1 : 0) - (data.from === 'RUNNING' ? 1 : 0)
      if (delta !== 0) m.gaugeAdd('agent_fabric_agents_active', { tenant_id: tenantId }, delta)
    } else if (type === 'usage.recorded') {
      const tokens = numberField(data, 'tokens')
      const model = typeof data.model === 'string' && data.model ? data.model : 'unknown'
      if (tokens) m.count('agent_fabric_tokens_total', { tenant_id: tenantId, agent_id: agentId, model }, tokens)
    } else if (type === 'budget.alert' || type === 'budget.exceeded') {
      const percent = numberField(data, 'percent')
      if (typeof data.entity === 'string' && percent !== undefined) {
        m.gaugeSet('agent_fabric_budget_usage_ratio', { tenant_id: tenantId, entity_id: data.entity }, percent / 100)
      }
      if (type === 'budget.exceeded') {
        alerts.push({ kind: 'budget_exceeded', message: `budget exceeded: ${String(data.entity)} ${String(data.dimension)}`, details: { ...data } })
      }
    }
    for (const alert of alerts) m.count('agent_fabric_alerts_total', { tenant_id: tenantId, agent_id: agentId, kind: alert.kind })
    return alerts
  }

  /** The usage ratio of a budget entity after a charge: the tightest limited dimension (0 when none is limited). */
  budgetUsage(tenantId: string, report: { entity: string; ratio: Partial<Record<string, number>> }): void {
    const ratios = Object.values(report.ratio).filter((r): r is number => typeof r === 'number' && Number.isFinite(r))
    if (ratios.length === 0) return
    metrics(this.env, this.ctx).gaugeSet('agent_fabric_budget_usage_ratio', { tenant_id: tenantId, entity_id: report.entity }, Math.max(...ratios))
  }
}
