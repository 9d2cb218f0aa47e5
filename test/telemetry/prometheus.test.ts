import { describe, expect, it } from 'vitest'
import { METRICS } from '../../src/telemetry/metrics/catalog'
import { renderPrometheus } from '../../src/telemetry/metrics/prometheus'
import type { SeriesSnapshot } from '../../src/telemetry/metrics/store'

const counter = (labels: Record<string, string>, value: number): SeriesSnapshot => ({
  name: 'agent_fabric_tasks_total',
  labels,
  value,
  sum: 0,
  count: 0,
  buckets: null,
})

function linesOf(text: string, prefix: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(prefix))
}

describe('Prometheus text exposition', () => {
  it('lists HELP and TYPE for every catalog metric in catalog order, even without samples', () => {
    const text = renderPrometheus([])
    const types = text.split('\n').filter((l) => l.startsWith('# TYPE'))
    expect(types).toEqual(Object.entries(METRICS).map(([name, def]) => `# TYPE ${name} ${def.type}`))
    expect(text.endsWith('\n')).toBe(true)
  })

  it('writes counters with tenant_id first and escapes label values', () => {
    const text = renderPrometheus([{ tenantId: 'acme', series: [counter({ agent_id: 'we"ird\\name\nx', status: 'completed' }, 3)] }])
    expect(linesOf(text, 'agent_fabric_tasks_total')).toEqual([
      'agent_fabric_tasks_total{tenant_id="acme",agent_id="we\\"ird\\\\name\\nx",status="completed"} 3',
    ])
  })

  it('writes histograms as cumulative buckets with le, then _sum and _count', () => {
    const buckets = new Array<number>(16).fill(0)
    buckets[0] = 2
    buckets[3] = 1
    buckets[15] = 1
    const text = renderPrometheus([
      {
        tenantId: 't',
        series: [{ name: 'agent_fabric_execution_duration_seconds', labels: { tier: '1' }, value: 0, sum: 301.5, count: 4, buckets }],
      },
    ])
    expect(linesOf(text, 'agent_fabric_execution_duration_seconds')).toEqual([
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="0.001"} 2',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="0.005"} 2',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="0.01"} 2',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="0.025"} 3',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="0.05"} 3',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="0.1"} 3',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="0.25"} 3',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="0.5"} 3',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="1"} 3',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="2.5"} 3',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="5"} 3',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="10"} 3',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="30"} 3',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="60"} 3',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="300"} 3',
      'agent_fabric_execution_duration_seconds_bucket{tenant_id="t",tier="1",le="+Inf"} 4',
      'agent_fabric_execution_duration_seconds_sum{tenant_id="t",tier="1"} 301.5',
      'agent_fabric_execution_duration_seconds_count{tenant_id="t",tier="1"} 4',
    ])
  })

  it('groups samples of several tenants under one HELP/TYPE header', () => {
    const text = renderPrometheus([
      { tenantId: 'a', series: [counter({ agent_id: 'x', status: 'failed' }, 1)] },
      { tenantId: 'b', series: [counter({ agent_id: 'y', status: 'completed' }, 2)] },
    ])
    const start = text.indexOf('# HELP agent_fabric_tasks_total')
    expect(text.slice(start).split('\n').slice(0, 4)).toEqual([
      '# HELP agent_fabric_tasks_total Tasks that reached a terminal status, by agent and status.',
      '# TYPE agent_fabric_tasks_total counter',
      'agent_fabric_tasks_total{tenant_id="a",agent_id="x",status="failed"} 1',
      'agent_fabric_tasks_total{tenant_id="b",agent_id="y",status="completed"} 2',
    ])
  })
})
