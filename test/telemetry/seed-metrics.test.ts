import { describe, expect, it } from 'vitest'
import { call, json } from '../helpers/http'
import { openTenant } from '../helpers/tenants'

const SEED_METRICS = [
  'agent_fabric_tasks_total',
  'agent_fabric_task_duration_seconds',
  'agent_fabric_tokens_total',
  'agent_fabric_budget_usage_ratio',
  'agent_fabric_agents_active',
  'agent_fabric_policy_decisions_total',
]

/** Sample lines of a metric (a histogram's _bucket/_sum/_count included). */
function samples(text: string, name: string): Array<{ line: string; value: number }> {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name}_`))
    .map((line) => ({ line, value: Number(line.slice(line.lastIndexOf(' ') + 1)) }))
}

describe('the six seed metrics on the governed path', () => {
  it('after a few executions and some usage, /metrics has samples of all six and counts every task', async () => {
    const { tenant, token } = await openTenant()
    const runs = 3
    for (let i = 0; i < runs; i++) {
      const response = await call('POST', '/v1/exec', { token: token.value, body: { command: `echo run ${i}` } })
      expect(response.status).toBe(200)
    }
    const spawn = await call('POST', '/v1/agents', { token: token.value, body: { id: 'writer', model: 'claude-x', budget: { maxTokensPerDay: 1000 } } })
    expect(spawn.status).toBe(201)
    const usage = await call('POST', '/v1/agents/writer/usage', { token: token.value, body: { tokens: 250, model: 'claude-x' } })
    expect(usage.status).toBe(200)

    const text = await (await call('GET', '/metrics', { token: token.value })).text()
    const t = `tenant_id="${tenant.id}"`
    for (const name of SEED_METRICS) {
      expect(samples(text, name).filter((s) => s.line.includes(t)).length, name).toBeGreaterThan(0)
    }
    const tasks = samples(text, 'agent_fabric_tasks_total').reduce((n, s) => n + s.value, 0)
    expect(tasks).toBeGreaterThanOrEqual(runs)
    expect(text).toContain(`agent_fabric_tokens_total{${t},agent_id="writer",model="claude-x"} 250`)
    expect(text).toContain(`agent_fabric_budget_usage_ratio{${t},entity_id=`)
    expect(samples(text, 'agent_fabric_budget_usage_ratio').map((s) => s.value)).toContain(0.25)
    // The exec shortcut's `default` agent and `writer` are both RUNNING.
    expect(text).toContain(`agent_fabric_agents_active{${t}} 2`)
    expect(samples(text, 'agent_fabric_policy_decisions_total').find((s) => s.line.includes('decision="allow"'))?.value).toBeGreaterThanOrEqual(runs)
  })
})
