import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { flushMetrics, metrics } from '../../src/telemetry/metrics/recorder'
import { call, json } from '../helpers/http'
import { createTenant, type ErrorBody } from '../helpers/tenants'

function tasksLines(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('agent_fabric_tasks_total{'))
}

describe('GET /metrics access', () => {
  it('needs a token (401) and the read scope (403)', async () => {
    expect((await call('GET', '/metrics', { token: null })).status).toBe(401)
    const { tenant, token } = await createTenant()
    const agentOnly = await json<{ value: string }>(await call('POST', `/v1/tenants/${tenant.id}/tokens`, { token: token.value, body: { scopes: ['agent'] } }))
    const response = await call('GET', '/metrics', { token: agentOnly.value })
    expect(response.status).toBe(403)
    expect((await json<ErrorBody>(response)).error.code).toBe('FORBIDDEN')
  })

  it('shows a tenant only its own series; the operator sees every tenant', async () => {
    const a = await createTenant()
    const b = await createTenant()
    metrics(env).count('agent_fabric_tasks_total', { tenant_id: a.tenant.id, agent_id: 'alpha', status: 'completed' }, 2)
    metrics(env).count('agent_fabric_tasks_total', { tenant_id: b.tenant.id, agent_id: 'beta', status: 'failed' })
    await flushMetrics(env)

    const forA = await call('GET', '/metrics', { token: a.token.value })
    expect(forA.status).toBe(200)
    expect(forA.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(tasksLines(await forA.text())).toEqual([`agent_fabric_tasks_total{tenant_id="${a.tenant.id}",agent_id="alpha",status="completed"} 2`])

    const operator = tasksLines(await (await call('GET', '/metrics')).text())
    expect(operator).toContain(`agent_fabric_tasks_total{tenant_id="${a.tenant.id}",agent_id="alpha",status="completed"} 2`)
    expect(operator).toContain(`agent_fabric_tasks_total{tenant_id="${b.tenant.id}",agent_id="beta",status="failed"} 1`)

    const one = tasksLines(await (await call('GET', `/metrics?tenant_id=${b.tenant.id}`)).text())
    expect(one).toEqual([`agent_fabric_tasks_total{tenant_id="${b.tenant.id}",agent_id="beta",status="failed"} 1`])
  })

  it('a tenant asking for another tenant’s metrics gets 404', async () => {
    const a = await createTenant()
    const b = await createTenant()
    const response = await call('GET', `/metrics?tenant_id=${b.tenant.id}`, { token: a.token.value })
    expect(response.status).toBe(404)
  })

  it('counts the API requests a tenant made, by route pattern', async () => {
    const a = await createTenant()
    await call('GET', '/v1/whoami', { token: a.token.value })
    await call('GET', '/v1/whoami', { token: a.token.value })
    const text = await (await call('GET', '/metrics', { token: a.token.value })).text()
    expect(text).toContain(`agent_fabric_http_requests_total{tenant_id="${a.tenant.id}",method="GET",route="/v1/whoami",status_class="2xx"} 2`)
  })
})
