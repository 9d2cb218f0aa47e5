import { describe, expect, it } from 'vitest'
import { foldEvent, type TaskLine } from '../../console/src/pages/timeline'
import { bucketCounts, parsePrometheus, sumBy } from '../../console/src/pages/prometheus'

describe('console: the agent timeline folds stream events per task', () => {
  it('keeps each attempt with its tier, duration, outcome and error code, in order', () => {
    const tasks = new Map<string, TaskLine>()
    const events = [
      { seq: 1, type: 'task.queued', at: '2026-01-01T00:00:00.000Z', data: { taskId: 't1', type: 'command', priority: 'high', status: 'pending' } },
      { seq: 2, type: 'task.started', at: '2026-01-01T00:00:00.010Z', data: { taskId: 't1', attempt: 1 } },
      { seq: 3, type: 'task.retrying', at: '2026-01-01T00:00:00.040Z', data: { taskId: 't1', code: 'COMMAND_FAILED' } },
      { seq: 4, type: 'task.started', at: '2026-01-01T00:00:00.100Z', data: { taskId: 't1', attempt: 2 } },
      { seq: 5, type: 'task.completed', at: '2026-01-01T00:00:00.120Z', data: { taskId: 't1', status: 'completed', tier: 1, durationMs: 18 } },
      { type: 'stream.ready', data: { agentId: 'a', lastSeq: 5 } },
      { seq: 6, type: 'agent.state', at: '2026-01-01T00:00:01.000Z', data: { from: 'RUNNING', to: 'SUSPENDED' } },
    ]
    for (const event of events) foldEvent(tasks, event)
    expect([...tasks.keys()]).toEqual(['t1'])
    expect(tasks.get('t1')).toEqual({
      taskId: 't1',
      type: 'command',
      priority: 'high',
      status: 'completed',
      queuedAt: '2026-01-01T00:00:00.000Z',
      attempts: [
        { attempt: 1, startedAt: '2026-01-01T00:00:00.010Z', durationMs: 30, outcome: 'retrying', code: 'COMMAND_FAILED' },
        { attempt: 2, startedAt: '2026-01-01T00:00:00.100Z', tier: 1, durationMs: 18, outcome: 'completed' },
      ],
    })
  })

  it('shows a parked task as awaiting_approval', () => {
    const tasks = new Map<string, TaskLine>()
    foldEvent(tasks, { seq: 1, type: 'task.queued', data: { taskId: 't2', status: 'pending' } })
    foldEvent(tasks, { seq: 2, type: 'task.awaiting_approval', data: { taskId: 't2' } })
    expect(tasks.get('t2')?.status).toBe('awaiting_approval')
  })
})

describe('console: the metrics page reads Prometheus text', () => {
  const text = [
    '# HELP agent_fabric_tasks_total Tasks',
    'agent_fabric_tasks_total{tenant_id="dev",agent_id="a",status="completed"} 3',
    'agent_fabric_tasks_total{tenant_id="dev",agent_id="b",status="completed"} 2',
    'agent_fabric_tasks_total{tenant_id="dev",agent_id="b",status="failed"} 1',
    'agent_fabric_execution_duration_seconds_bucket{tenant_id="dev",tier="1",le="0.005"} 4',
    'agent_fabric_execution_duration_seconds_bucket{tenant_id="dev",tier="1",le="0.01"} 6',
    'agent_fabric_execution_duration_seconds_bucket{tenant_id="dev",tier="1",le="+Inf"} 7',
    'agent_fabric_execution_duration_seconds_bucket{tenant_id="dev",tier="4",le="0.005"} 0',
    'agent_fabric_execution_duration_seconds_bucket{tenant_id="dev",tier="4",le="0.01"} 1',
    'agent_fabric_execution_duration_seconds_bucket{tenant_id="dev",tier="4",le="+Inf"} 1',
    'escaped{path="a\\"b"} 1',
  ].join('\n')

  it('sums a counter per label value across agents', () => {
    expect(Object.fromEntries(sumBy(parsePrometheus(text), 'agent_fabric_tasks_total', 'status'))).toEqual({ completed: 5, failed: 1 })
  })

  it('turns cumulative histogram buckets into counts per bucket, per tier', () => {
    const buckets = bucketCounts(parsePrometheus(text), 'agent_fabric_execution_duration_seconds_bucket', 'tier')
    expect(buckets.get('1')).toEqual([{ le: 0.005, count: 4 }, { le: 0.01, count: 2 }, { le: Infinity, count: 1 }])
    expect(buckets.get('4')).toEqual([{ le: 0.005, count: 0 }, { le: 0.01, count: 1 }, { le: Infinity, count: 0 }])
  })

  it('unescapes label values', () => {
    expect(parsePrometheus(text).at(-1)).toEqual({ name: 'escaped', labels: { path: 'a"b' }, value: 1 })
  })
})
