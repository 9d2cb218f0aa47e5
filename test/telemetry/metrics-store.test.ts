import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { LABEL_VALUE_CAPS } from '../../src/telemetry/metrics/catalog'
import type { MetricDelta } from '../../src/telemetry/metrics/delta'
import type { MetricsDO } from '../../src/telemetry/metrics/metrics-do'

function shard(name: string): DurableObjectStub<MetricsDO> {
  return env.METRICS.get(env.METRICS.idFromName(name))
}

const taskCompleted = (agent: string, value = 1): MetricDelta => ({
  kind: 'counter',
  name: 'agent_fabric_tasks_total',
  labels: { agent_id: agent, status: 'completed' },
  value,
})

describe('MetricsDO: the per-tenant totals', () => {
  it('sums counter deltas from separate batches', async () => {
    const stub = shard('store-sum')
    await stub.apply('b1', [taskCompleted('a1', 2)])
    await stub.apply('b2', [taskCompleted('a1', 3), taskCompleted('a2')])
    expect(await stub.snapshot()).toEqual([
      { name: 'agent_fabric_tasks_total', labels: { agent_id: 'a1', status: 'completed' }, value: 5, sum: 0, count: 0, buckets: null },
      { name: 'agent_fabric_tasks_total', labels: { agent_id: 'a2', status: 'completed' }, value: 1, sum: 0, count: 0, buckets: null },
    ])
  })

  it('applies a retried batch id once', async () => {
    const stub = shard('store-dedupe')
    expect(await stub.apply('same', [taskCompleted('a1')])).toEqual({ applied: 1, rejected: 0, duplicate: false })
    expect(await stub.apply('same', [taskCompleted('a1')])).toEqual({ applied: 0, rejected: 0, duplicate: true })
    const [series] = await stub.snapshot()
    expect(series?.value).toBe(1)
  })

  it('applies many batches in one call, summing new ones per series and skipping ids seen before', async () => {
    const stub = shard('store-many')
    await stub.apply('seen', [taskCompleted('a1', 100)])
    const outcome = await stub.applyMany([
      { batchId: 'm1', deltas: [taskCompleted('a1', 2), taskCompleted('a2')] },
      { batchId: 'seen', deltas: [taskCompleted('a1', 100)] },
      { batchId: 'm2', deltas: [taskCompleted('a1', 3)] },
      { batchId: 'm1', deltas: [taskCompleted('a1', 2), taskCompleted('a2')] },
    ])
    // Two series written (a1 summed over m1 and m2, a2 from m1); 'seen' and the second m1 skipped.
    expect(outcome).toEqual({ applied: 2, rejected: 0, duplicate: true })
    expect((await stub.snapshot()).map((s) => [s.labels.agent_id, s.value])).toEqual([
      ['a1', 105],
      ['a2', 1],
    ])
  })

  it('refuses unknown metrics, wrong kinds, wrong label names and wrong bucket counts, keeping the good deltas', async () => {
    const stub = shard('store-reject')
    const outcome = await stub.apply('b', [
      { kind: 'counter', name: 'no_such_metric', labels: {}, value: 1 },
      { kind: 'gauge_set', name: 'agent_fabric_tasks_total', labels: { agent_id: 'a', status: 'completed' }, value: 1, at: 1 },
      { kind: 'counter', name: 'agent_fabric_tasks_total', labels: { agent_id: 'a' }, value: 1 },
      { kind: 'counter', name: 'agent_fabric_tasks_total', labels: { agent_id: 'a', status: 'completed', extra: 'x' }, value: 1 },
      { kind: 'histogram', name: 'agent_fabric_task_duration_seconds', labels: {}, bucketCounts: [1], sum: 1, count: 1 },
      { kind: 'counter', name: 'agent_fabric_tasks_total', labels: { agent_id: 'a', status: 'completed' }, value: -1 },
      taskCompleted('a'),
    ])
    expect(outcome).toEqual({ applied: 1, rejected: 6, duplicate: false })
  })

  it('keeps the newest gauge_set and adds gauge_add deltas', async () => {
    const stub = shard('store-gauge')
    const ratio = (value: number, at: number): MetricDelta => ({ kind: 'gauge_set', name: 'agent_fabric_budget_usage_ratio', labels: { entity_id: 'agent:a' }, value, at })
    await stub.apply('g1', [ratio(0.5, 2000)])
    await stub.apply('g2', [ratio(0.2, 1000)])
    await stub.apply('g3', [{ kind: 'gauge_add', name: 'agent_fabric_agents_active', labels: {}, value: 2 }])
    await stub.apply('g4', [{ kind: 'gauge_add', name: 'agent_fabric_agents_active', labels: {}, value: -1 }])
    const values = Object.fromEntries((await stub.snapshot()).map((s) => [s.name, s.value]))
    expect(values).toEqual({ agent_fabric_budget_usage_ratio: 0.5, agent_fabric_agents_active: 1 })
  })

  it('adds histogram buckets, sums and counts', async () => {
    const stub = shard('store-histogram')
    const observation = (bucket: number, sum: number): MetricDelta => {
      const bucketCounts = new Array<number>(16).fill(0)
      bucketCounts[bucket] = 1
      return { kind: 'histogram', name: 'agent_fabric_execution_duration_seconds', labels: { tier: '1' }, bucketCounts, sum, count: 1 }
    }
    await stub.apply('h1', [observation(0, 0.0005)])
    await stub.apply('h2', [observation(15, 400)])
    const [series] = await stub.snapshot()
    expect(series).toEqual({
      name: 'agent_fabric_execution_duration_seconds',
      labels: { tier: '1' },
      value: 0,
      sum: 400.0005,
      count: 2,
      buckets: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    })
  })

  it('folds agent ids beyond the cap into "other" and closed labels outside their set into "other"', async () => {
    const stub = shard('store-cardinality')
    const cap = LABEL_VALUE_CAPS.agent_id as number
    const deltas = Array.from({ length: cap + 5 }, (_, i) => taskCompleted(`agent-${String(i).padStart(3, '0')}`))
    await stub.apply('c1', deltas)
    await stub.apply('c2', [{ kind: 'counter', name: 'agent_fabric_executions_total', labels: { tier: '9', status: 'ok' }, value: 1 }])
    const series = await stub.snapshot()
    const agents = series.filter((s) => s.name === 'agent_fabric_tasks_total')
    expect(agents).toHaveLength(cap + 1)
    expect(agents.find((s) => s.labels.agent_id === 'other')?.value).toBe(5)
    expect(agents.some((s) => s.labels.agent_id === `agent-${String(cap - 1).padStart(3, '0')}`)).toBe(true)
    expect(series.find((s) => s.name === 'agent_fabric_executions_total')?.labels).toEqual({ tier: 'other', status: 'ok' })
  })

  it('forgets applied batch ids after a day', async () => {
    const stub = shard('store-batch-memory')
    await stub.apply('old', [taskCompleted('a')])
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec('UPDATE metric_batches SET applied_at = 0')
    })
    await stub.apply('new', [])
    const ids = await runInDurableObject(stub, (_instance, state) => state.storage.sql.exec<{ id: string }>('SELECT id FROM metric_batches').toArray().map((r) => r.id))
    expect(ids).toEqual(['new'])
  })
})
