/**
 * Kill switch and policy pushed to the agents, not polled: agents decide from
 * state they read once, and a switch thrown under concurrent submissions
 * still lets no task start after POST /v1/killswitch has answered.
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { call, json } from '../helpers/http'
import { openTenant, type ErrorBody } from '../helpers/tenants'

const AGENTS = ['k1', 'k2', 'k3']

function agentObject(tenantId: string, agentId: string) {
  return env.AGENT.get(env.AGENT.idFromName(`${tenantId}:${agentId}`))
}

/** The agent's own event log, in order: what started, and where the switch suspended it. */
async function eventTypes(tenantId: string, agentId: string): Promise<Array<{ type: string; state?: string }>> {
  return runInDurableObject(agentObject(tenantId, agentId), async (_instance, state) =>
    state.storage.sql
      .exec<{ type: string; data: string }>('SELECT type, data FROM events ORDER BY seq')
      .toArray()
      .map((row) => ({ type: row.type, ...(row.type === 'agent.state' ? { state: (JSON.parse(row.data) as { to: string }).to } : {}) })),
  )
}

describe('kill switch pushed to live agents', () => {
  it('under concurrent submissions, no task starts after the switch has answered, and later submissions are refused', async () => {
    const { tenant, token } = await openTenant()
    for (const id of AGENTS) expect((await call('POST', '/v1/agents', { token: token.value, body: { id, heartbeatIntervalSeconds: 0 } })).status).toBe(201)
    // Each agent has decided once, so it holds its state and decides from memory from now on.
    for (const id of AGENTS) expect((await call('POST', `/v1/agents/${id}/tasks`, { token: token.value, body: { command: 'echo warm' } })).status).toBe(201)

    const submissions = AGENTS.flatMap((id) => Array.from({ length: 8 }, (_, i) => call('POST', `/v1/agents/${id}/tasks`, { token: token.value, body: { command: `echo ${i}` } })))
    const kill = await call('POST', '/v1/killswitch', { token: token.value, body: { scope: 'tenant', reason: 'under load' } })
    expect(kill.status).toBe(200)
    expect((await json<{ agents: { signalled: number; failed: unknown[] } }>(kill)).agents).toEqual({ signalled: 3, failed: [] })
    const during = await Promise.all(submissions)
    for (const response of during) expect([201, 403]).toContain(response.status)

    for (const id of AGENTS) {
      const after = await call('POST', `/v1/agents/${id}/tasks`, { token: token.value, body: { command: 'echo late' } })
      expect([after.status, (await json<ErrorBody>(after)).error.code]).toEqual([403, 'KILL_SWITCH'])
      const events = await eventTypes(tenant.id, id)
      const suspendedAt = events.findIndex((e) => e.type === 'agent.state' && e.state === 'SUSPENDED')
      expect(suspendedAt).toBeGreaterThan(0)
      expect(events.slice(suspendedAt).filter((e) => e.type === 'task.started')).toEqual([])
    }
  }, 60_000)

  it('a lifted switch reaches an agent that refused work without being suspended by it', async () => {
    const { token } = await openTenant()
    await call('POST', '/v1/killswitch', { token: token.value, body: { scope: 'tenant', reason: 'before the default agent' } })
    const refused = await call('POST', '/v1/exec', { token: token.value, body: { command: 'echo no' } })
    expect((await json<ErrorBody>(refused)).error.code).toBe('KILL_SWITCH')
    await call('POST', '/v1/killswitch', { token: token.value, body: { scope: 'tenant', active: false, reason: 'clear' } })
    const ok = await call('POST', '/v1/exec', { token: token.value, body: { command: 'echo yes' } })
    expect([ok.status, (await json<{ stdout: string }>(ok)).stdout]).toEqual([200, 'yes\n'])
  })

  it('a policy change reaches an agent that already decided, before the change answers', async () => {
    const { token } = await openTenant()
    await call('POST', '/v1/agents', { token: token.value, body: { id: 'p1', heartbeatIntervalSeconds: 0 } })
    expect((await call('POST', '/v1/agents/p1/tasks', { token: token.value, body: { command: 'echo before' } })).status).toBe(201)
    const put = await call('PUT', '/v1/policies/no-echo', { token: token.value, body: { rules: [{ actionPattern: 'exec:echo', effect: 'deny' }] } })
    expect(put.status).toBeLessThan(300)
    const denied = await call('POST', '/v1/agents/p1/tasks', { token: token.value, body: { command: 'echo after' } })
    expect([denied.status, (await json<ErrorBody>(denied)).error.code]).toEqual([403, 'POLICY_DENIED'])
    expect((await call('DELETE', '/v1/policies/no-echo', { token: token.value })).status).toBe(204)
    expect((await call('POST', '/v1/agents/p1/tasks', { token: token.value, body: { command: 'echo again' } })).status).toBe(201)
  })
})
