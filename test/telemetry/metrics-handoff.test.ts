/**
 * Metric deltas riding inside `POST /v1/exec` (src/telemetry/metrics/handoff.ts): every exec is counted
 * once on /metrics, a burst of execs makes no metrics request of its own, and a failed agent call loses
 * nothing and counts nothing twice.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { execOnAgent } from '../../src/agent/exec-on-agent'
import type { ExecRequest } from '../../src/core/exec-request'
import { flushMetrics, METRICS_FLUSH_DELAY_MS, metrics } from '../../src/telemetry/metrics/recorder'
import { call, json } from '../helpers/http'
import { openTenant } from '../helpers/tenants'

function sample(text: string, series: string): string | undefined {
  return text
    .split('\n')
    .find((l) => l.startsWith(`${series} `))
    ?.slice(series.length + 1)
}

async function seriesValue(tenantId: string, name: string, labels: Record<string, string>): Promise<number> {
  const all = await env.METRICS.get(env.METRICS.idFromName(tenantId)).snapshot()
  return all.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value ?? 0
}

/**
 * Metrics calls delivered for the tenant so far, read the way billable counting does: each delivery is
 * counted into the tenant's next flush, so one delta and one more flush fold the earlier ones in.
 */
async function metricsRequests(tenantId: string): Promise<number> {
  await flushMetrics(env)
  metrics(env).count('agent_fabric_policy_decisions_total', { tenant_id: tenantId, decision: 'allow' })
  await flushMetrics(env)
  return seriesValue(tenantId, 'agent_fabric_billable_do_requests_total', { binding: 'METRICS' })
}

async function echo(token: string, i: number): Promise<void> {
  const response = await call('POST', '/v1/exec', { token, body: { command: `echo ${i}` } })
  expect(await json<{ stdout: string }>(response)).toMatchObject({ stdout: `${i}\n` })
}

describe('metrics carried by agent calls', () => {
  it('counts each of N execs exactly once on /metrics', async () => {
    const { tenant, token } = await openTenant()
    const n = 6
    for (let i = 0; i < n; i++) await echo(token.value, i)
    const text = await (await call('GET', '/metrics', { token: token.value })).text()
    const t = `tenant_id="${tenant.id}"`
    expect(sample(text, `agent_fabric_tasks_total{${t},agent_id="default",status="completed"}`)).toBe(String(n))
    expect(sample(text, `agent_fabric_http_requests_total{${t},method="POST",route="/v1/exec",status_class="2xx"}`)).toBe(String(n))
    expect(sample(text, `agent_fabric_billable_do_requests_total{${t},binding="AGENT"}`)).toBe(String(n))
  })

  it('makes no metrics request of its own during a burst of execs', async () => {
    const { tenant, token } = await openTenant()
    await echo(token.value, 0)
    const before = await metricsRequests(tenant.id)
    // Four flush delays: an isolate flushing on its own timer (even one it had to replace) would have flushed.
    const until = Date.now() + 4 * METRICS_FLUSH_DELAY_MS
    let execs = 1
    // A pause between execs (well inside the quiet period) keeps the burst under the tenant's rate limit.
    for (; Date.now() < until && execs < 100; execs++) {
      await echo(token.value, execs)
      await new Promise((resolve) => setTimeout(resolve, METRICS_FLUSH_DELAY_MS / 5))
    }
    // The only calls since `before` was read: its own second flush and this read's first one (which carries the burst's deltas).
    expect(await metricsRequests(tenant.id)).toBe(before + 2)
    expect(await seriesValue(tenant.id, 'agent_fabric_tasks_total', { agent_id: 'default', status: 'completed' })).toBe(execs)
  })

  it('loses nothing when the agent call fails before the agent got the deltas', async () => {
    const { tenant } = await openTenant()
    metrics(env).count('agent_fabric_tokens_total', { tenant_id: tenant.id, agent_id: 'a', model: 'm' }, 7)
    // A symbol cannot be serialized, so the call fails before it reaches the agent.
    const unsendable: ExecRequest = Object.assign({ command: 'echo hi' }, { marker: Symbol('unsendable') })
    await expect(execOnAgent(env, { tenantId: tenant.id, principal: 'tok_test' }, unsendable, () => undefined)).rejects.toThrow()
    await flushMetrics(env)
    expect(await seriesValue(tenant.id, 'agent_fabric_tokens_total', { agent_id: 'a', model: 'm' })).toBe(7)
  })

  it('counts once when the call fails after the agent kept the deltas (both send them, one batch id)', async () => {
    const { tenant } = await openTenant()
    metrics(env).count('agent_fabric_tokens_total', { tenant_id: tenant.id, agent_id: 'b', model: 'm' }, 5)
    // The agent takes the deltas first, then refuses the request by throwing: the caller sees the call fail.
    const invalid: ExecRequest = { command: 'echo hi', operation: 'echo' }
    await expect(execOnAgent(env, { tenantId: tenant.id, principal: 'tok_test' }, invalid, () => undefined)).rejects.toThrow()
    await flushMetrics(env)
    await flushMetrics(env)
    expect(await seriesValue(tenant.id, 'agent_fabric_tokens_total', { agent_id: 'b', model: 'm' })).toBe(5)
  })
})
