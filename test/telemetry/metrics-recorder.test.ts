import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { bucketIndex, flushMetrics, hasPendingMetrics, metrics, takeCarriedMetrics } from '../../src/telemetry/metrics/recorder'

async function snapshot(tenantId: string) {
  return env.METRICS.get(env.METRICS.idFromName(tenantId)).snapshot()
}

describe('metrics recorder', () => {
  it('batches deltas per series and sends each tenant its own on flush', async () => {
    const m = metrics(env)
    m.count('agent_fabric_tasks_total', { tenant_id: 'rec-a', agent_id: 'a1', status: 'completed' })
    m.count('agent_fabric_tasks_total', { tenant_id: 'rec-a', agent_id: 'a1', status: 'completed' }, 2)
    m.count('agent_fabric_tasks_total', { tenant_id: 'rec-b', agent_id: 'b1', status: 'failed' })
    m.observe('agent_fabric_task_duration_seconds', { tenant_id: 'rec-a' }, 0.02)
    m.observe('agent_fabric_task_duration_seconds', { tenant_id: 'rec-a' }, 7)
    m.gaugeSet('agent_fabric_budget_usage_ratio', { tenant_id: 'rec-a', entity_id: 'agent:a1' }, 0.25)
    m.gaugeAdd('agent_fabric_agents_active', { tenant_id: 'rec-a' }, 1)
    expect(hasPendingMetrics()).toBe(true)
    await flushMetrics(env)
    expect(hasPendingMetrics()).toBe(false)

    const a = await snapshot('rec-a')
    expect(a.map((s) => [s.name, s.labels, s.value, s.count])).toEqual([
      ['agent_fabric_agents_active', {}, 1, 0],
      ['agent_fabric_budget_usage_ratio', { entity_id: 'agent:a1' }, 0.25, 0],
      ['agent_fabric_task_duration_seconds', {}, 0, 2],
      ['agent_fabric_tasks_total', { agent_id: 'a1', status: 'completed' }, 3, 0],
    ])
    const histogram = a.find((s) => s.name === 'agent_fabric_task_duration_seconds')
    expect(histogram?.sum).toBe(7.02)
    // 0.02 s falls in the le=0.025 bucket (index 3), 7 s in le=10 (index 11).
    expect(histogram?.buckets?.map((n, i) => (n ? i : -1)).filter((i) => i >= 0)).toEqual([3, 11])
    expect((await snapshot('rec-b')).map((s) => s.value)).toEqual([1])
  })

  it('ignores non-finite and non-positive counts', async () => {
    const m = metrics(env)
    m.count('agent_fabric_tasks_total', { tenant_id: 'rec-c', agent_id: 'a', status: 'completed' }, 0)
    m.count('agent_fabric_tasks_total', { tenant_id: 'rec-c', agent_id: 'a', status: 'completed' }, -1)
    m.count('agent_fabric_tasks_total', { tenant_id: 'rec-c', agent_id: 'a', status: 'completed' }, Number.NaN)
    m.observe('agent_fabric_task_duration_seconds', { tenant_id: 'rec-c' }, Number.POSITIVE_INFINITY)
    // Nothing pending for this tenant (other tests' flushes may leave deltas of their own tenants pending in this isolate).
    expect(takeCarriedMetrics('rec-c')).toEqual([])
  })

  it('accumulates across flushes (the object holds the totals, not the isolate)', async () => {
    for (let i = 0; i < 3; i++) {
      metrics(env).count('agent_fabric_policy_decisions_total', { tenant_id: 'rec-d', decision: 'deny' })
      await flushMetrics(env)
    }
    const decisions = (await snapshot('rec-d')).filter((s) => s.name === 'agent_fabric_policy_decisions_total')
    expect(decisions.map((s) => [s.labels, s.value])).toEqual([[{ decision: 'deny' }, 3]])
    // The first two deliveries are billed, folded into the flushes after them (the last one waits for the next).
    const calls = (await snapshot('rec-d')).filter((s) => s.name === 'agent_fabric_billable_do_requests_total')
    expect(calls.map((s) => [s.labels, s.value])).toEqual([[{ binding: 'METRICS' }, 2]])
  })

  it('flushes by itself through waitUntil when given a context', async () => {
    const pending: Promise<unknown>[] = []
    metrics(env, { waitUntil: (p) => pending.push(p) }).count('agent_fabric_tokens_total', { tenant_id: 'rec-e', agent_id: 'a', model: 'm' }, 42)
    metrics(env, { waitUntil: (p) => pending.push(p) }).count('agent_fabric_tokens_total', { tenant_id: 'rec-e', agent_id: 'a', model: 'm' }, 8)
    // The first caller holds the one shared flush open; it takes the second caller's delta too.
    expect(pending).toHaveLength(1)
    await Promise.all(pending)
    expect((await snapshot('rec-e')).map((s) => s.value)).toEqual([50])
  })

  it('places observations in the first bucket whose bound is not below them', () => {
    const bounds = [0.1, 1, 10]
    expect([0, 0.1, 0.10001, 1, 9.9, 10, 11].map((v) => bucketIndex(bounds, v))).toEqual([0, 0, 1, 1, 2, 2, 3])
  })
})
