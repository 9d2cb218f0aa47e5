import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { AgentTelemetry } from '../../src/telemetry/agent-telemetry'
import { DEFAULT_ERROR_RATE, ErrorRateTracker, errorRateConfig } from '../../src/telemetry/anomaly'
import { flushMetrics } from '../../src/telemetry/metrics/recorder'

const noWait = { waitUntil: () => undefined }

describe('error-rate alerts', () => {
  it('fires once when the failed share of the window reaches the threshold, and re-arms below it', () => {
    const tracker = new ErrorRateTracker({ threshold: 0.5, window: 4, minTasks: 4 })
    const fired = [false, true, false, true, true, true, false, false, false, true, true].map((failed) => tracker.record(failed)?.kind ?? '-')
    // windows: [F T F T]=2/4 fires at 4th; stays high; [T T F F]... falls to 1/4 at 9th; [F F T T] 2/4 again at 11th.
    expect(fired).toEqual(['-', '-', '-', 'high_error_rate', '-', '-', '-', '-', '-', '-', 'high_error_rate'])
  })

  it('waits for minTasks before judging', () => {
    const tracker = new ErrorRateTracker({ threshold: 0.5, window: 10, minTasks: 3 })
    expect([tracker.record(true), tracker.record(true)]).toEqual([undefined, undefined])
    expect(tracker.record(true)).toEqual({
      kind: 'high_error_rate',
      message: '3 of the last 3 tasks failed (threshold 50%)',
      details: { failures: 3, tasks: 3, rate: 1, threshold: 0.5 },
    })
  })

  it('reads thresholds from vars and falls back to the defaults on nonsense', () => {
    expect(errorRateConfig({ ALERT_ERROR_RATE_THRESHOLD: '0.2', ALERT_ERROR_RATE_WINDOW: '50', ALERT_ERROR_RATE_MIN_TASKS: '5' })).toEqual({
      threshold: 0.2,
      window: 50,
      minTasks: 5,
    })
    expect(errorRateConfig({ ALERT_ERROR_RATE_THRESHOLD: '7' })).toEqual(DEFAULT_ERROR_RATE)
    expect(errorRateConfig({ ALERT_ERROR_RATE_WINDOW: '5', ALERT_ERROR_RATE_MIN_TASKS: '6' })).toEqual(DEFAULT_ERROR_RATE)
  })
})

describe('agent telemetry from stream events', () => {
  it('turns task, state, usage and budget events into the seed metrics and alerts', async () => {
    const telemetry = new AgentTelemetry({ ...env, ALERT_ERROR_RATE_MIN_TASKS: '2', ALERT_ERROR_RATE_WINDOW: '2', ALERT_ERROR_RATE_THRESHOLD: '1' }, noWait)
    const tenant = 'agent-tel'
    expect(telemetry.onEvent(tenant, 'a1', 'agent.state', { from: 'SPAWNING', to: 'RUNNING' })).toEqual([])
    telemetry.onEvent(tenant, 'a1', 'task.completed', { durationMs: 40 })
    telemetry.onEvent(tenant, 'a1', 'task.failed', { durationMs: 2000 })
    const high = telemetry.onEvent(tenant, 'a1', 'task.failed', { code: 'TIMEOUT' })
    expect(high.map((a) => a.kind)).toEqual(['high_error_rate'])
    telemetry.onEvent(tenant, 'a1', 'task.cancelled', {})
    telemetry.onEvent(tenant, 'a1', 'usage.recorded', { tokens: 1200, model: 'claude' })
    telemetry.onEvent(tenant, 'a1', 'usage.recorded', { tokens: 300 })
    telemetry.onEvent(tenant, 'a1', 'budget.alert', { entity: 'agent:a1', dimension: 'tokens', level: 'soft', percent: 80 })
    const exceeded = telemetry.onEvent(tenant, 'a1', 'budget.exceeded', { entity: 'agent:a1', dimension: 'tokens', level: 'hard', percent: 100 })
    expect(exceeded).toEqual([
      { kind: 'budget_exceeded', message: 'budget exceeded: agent:a1 tokens', details: { entity: 'agent:a1', dimension: 'tokens', level: 'hard', percent: 100 } },
    ])
    telemetry.budgetUsage(tenant, { entity: 'tenant:agent-tel', ratio: { tokens: 0.25, costUsd: 0.5 } })
    telemetry.onEvent(tenant, 'a1', 'agent.state', { from: 'RUNNING', to: 'SUSPENDED' })
    telemetry.onEvent(tenant, 'a2', 'agent.state', { from: 'SPAWNING', to: 'RUNNING' })
    await flushMetrics(env)

    const series = await env.METRICS.get(env.METRICS.idFromName(tenant)).snapshot()
    const flat = series.map((s) => [s.name, s.labels, s.name.endsWith('seconds') ? s.count : s.value])
    expect(flat).toEqual([
      ['agent_fabric_agents_active', {}, 1],
      ['agent_fabric_alerts_total', { agent_id: 'a1', kind: 'budget_exceeded' }, 1],
      ['agent_fabric_alerts_total', { agent_id: 'a1', kind: 'high_error_rate' }, 1],
      ['agent_fabric_budget_usage_ratio', { entity_id: 'agent:a1' }, 1],
      ['agent_fabric_budget_usage_ratio', { entity_id: 'tenant:agent-tel' }, 0.5],
      ['agent_fabric_task_duration_seconds', {}, 2],
      ['agent_fabric_tasks_total', { agent_id: 'a1', status: 'cancelled' }, 1],
      ['agent_fabric_tasks_total', { agent_id: 'a1', status: 'completed' }, 1],
      ['agent_fabric_tasks_total', { agent_id: 'a1', status: 'failed' }, 2],
      ['agent_fabric_tokens_total', { agent_id: 'a1', model: 'claude' }, 1200],
      ['agent_fabric_tokens_total', { agent_id: 'a1', model: 'unknown' }, 300],
    ])
  })
})
