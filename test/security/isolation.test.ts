/**
 * Tenant isolation, one resource kind at a time: tenant B holding a real id of
 * tenant A's resource gets 404 (never 403, never the resource) and cannot
 * change it; A's resource is unchanged afterwards.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { call, json } from '../helpers/http'
import { createTenant, openTenant, type CreatedTenant } from '../helpers/tenants'

let a: CreatedTenant
let b: CreatedTenant

beforeAll(async () => {
  a = await openTenant()
  b = await openTenant()
})

const asA = (method: string, path: string, body?: unknown) => call(method, path, { token: a.token.value, ...(body !== undefined ? { body } : {}) })
const asB = (method: string, path: string, body?: unknown) => call(method, path, { token: b.token.value, ...(body !== undefined ? { body } : {}) })

/** 404 with NOT_FOUND, or ENOENT for files: the same answer as for an id that does not exist. */
async function expectNotFound(response: Response, what: string, code = 'NOT_FOUND'): Promise<void> {
  expect(response.status, what).toBe(404)
  expect((await json<{ error: { code: string } }>(response)).error.code, what).toBe(code)
}

describe('tenant isolation', () => {
  it('files: another tenant cannot read, list or delete them', async () => {
    const put = await call('PUT', '/v1/fs/private/plan.txt', { token: a.token.value, rawBody: 'A only', headers: { 'content-type': 'text/plain' } })
    expect(put.status).toBeLessThan(300)
    await expectNotFound(await asB('GET', '/v1/fs/private/plan.txt'), 'read', 'ENOENT')
    await expectNotFound(await asB('GET', '/v1/fs/private/'), 'list', 'ENOENT')
    await expectNotFound(await asB('DELETE', '/v1/fs/private/plan.txt'), 'delete', 'ENOENT')
    expect(await (await asA('GET', '/v1/fs/private/plan.txt')).text()).toBe('A only')
  })

  it('agents: another tenant gets 404 for the same agent id and never lists it', async () => {
    expect((await asA('POST', '/v1/agents', { id: 'secret-agent' })).status).toBe(201)
    await expectNotFound(await asB('GET', '/v1/agents/secret-agent'), 'get')
    await expectNotFound(await asB('POST', '/v1/agents/secret-agent/suspend'), 'suspend')
    const listed = await json<{ agents: Array<{ id: string }> }>(await asB('GET', '/v1/agents'))
    expect(listed.agents.map((x) => x.id)).not.toContain('secret-agent')
    expect(await json(await asA('GET', '/v1/agents/secret-agent'))).toMatchObject({ id: 'secret-agent', state: 'RUNNING' })
  })

  it('tasks: another tenant cannot read or cancel a task by its id', async () => {
    const handle = await json<{ taskId: string }>(await asA('POST', '/v1/agents/secret-agent/tasks', { command: 'echo a', priority: 'low' }))
    await expectNotFound(await asB('GET', `/v1/tasks/${handle.taskId}`), 'get task')
    await expectNotFound(await asB('DELETE', `/v1/tasks/${handle.taskId}`), 'cancel task')
    expect((await asA('GET', `/v1/tasks/${handle.taskId}`)).status).toBe(200)
  })

  it('WAL: another tenant sees no event of an execution it did not run', async () => {
    const result = await json<{ executionId: string }>(await asA('POST', '/v1/exec', { command: 'echo wal' }))
    const mine = await json<{ events: unknown[] }>(await asA('GET', `/v1/wal?executionId=${result.executionId}`))
    expect(mine.events.length).toBeGreaterThan(0)
    const theirs = await json<{ events: unknown[] }>(await asB('GET', `/v1/wal?executionId=${result.executionId}`))
    expect(theirs.events).toEqual([])
  })

  it('policies: another tenant cannot read or delete them, and its own do not apply to A', async () => {
    expect((await asA('PUT', '/v1/policies/a-rules', { rules: [{ actionPattern: 'exec:*', effect: 'allow' }] })).status).toBe(201)
    await expectNotFound(await asB('GET', '/v1/policies/a-rules'), 'get policy')
    expect((await asB('PUT', '/v1/policies/deny-all', { rules: [{ actionPattern: '*', effect: 'deny' }], priority: 100 })).status).toBe(201)
    const stillRuns = await json<{ error?: { code: string } }>(await asA('POST', '/v1/exec', { command: 'echo still' }))
    expect(stillRuns.error?.code).not.toBe('POLICY_DENIED')
    expect((await asA('GET', '/v1/policies/a-rules')).status).toBe(200)
    expect((await asB('DELETE', '/v1/policies/deny-all')).status).toBe(204)
  })

  it('approvals: another tenant cannot decide (or see) a pending approval', async () => {
    const c = await createTenant()
    expect((await call('PUT', '/v1/policies/gate', { token: c.token.value, body: { rules: [{ actionPattern: '*', effect: 'require_approval' }] } })).status).toBe(201)
    expect((await call('POST', '/v1/agents', { token: c.token.value, body: { id: 'gated' } })).status).toBe(201)
    const submitted = await call('POST', '/v1/agents/gated/tasks', { token: c.token.value, body: { command: 'echo gated' } })
    const handle = await json<{ taskId: string; status: string }>(submitted)
    expect(handle.status, JSON.stringify(handle)).toBe('awaiting_approval')
    const pending = await json<{ approvals: Array<{ id: string }> }>(await call('GET', '/v1/approvals', { token: c.token.value }))
    const approvalId = pending.approvals[0]!.id
    await expectNotFound(await asB('POST', `/v1/approvals/${approvalId}`, { decision: 'approve', approver: 'mallory' }), 'decide approval')
    const theirs = await json<{ approvals: Array<{ id: string }> }>(await asB('GET', '/v1/approvals'))
    expect(theirs.approvals.map((x) => x.id)).not.toContain(approvalId)
    const task = await json<{ status: string }>(await call('GET', `/v1/tasks/${handle.taskId}`, { token: c.token.value }))
    expect(task.status).toBe('awaiting_approval')
  })

  it('budgets: another tenant cannot read an agent’s budget or the tenant budget', async () => {
    await expectNotFound(await asB('GET', '/v1/budgets/agent:secret-agent'), 'agent budget')
    await expectNotFound(await asB('GET', `/v1/budgets/tenant:${a.tenant.id}`), 'tenant budget')
    await expectNotFound(await asB('PUT', `/v1/budgets/tenant:${a.tenant.id}`, { maxTokensPerDay: 1 }), 'set tenant budget')
  })

  it('modules: another tenant neither lists nor runs them', async () => {
    const upload = await asA('POST', '/v1/modules', { name: 'a-private-mod', source: 'export default { run: () => "A secret result" }' })
    expect(upload.status).toBe(201)
    const mine = await json<{ ok: boolean; value?: unknown }>(await asA('POST', '/v1/exec', { operation: 'a-private-mod', args: [], tier: 3 }))
    expect(mine).toMatchObject({ ok: true, value: 'A secret result' })
    const listed = await json<{ modules: Array<{ name: string }> }>(await asB('GET', '/v1/modules'))
    expect(listed.modules.map((m) => m.name)).not.toContain('a-private-mod')
    const theirs = await asB('POST', '/v1/exec', { operation: 'a-private-mod', args: [], tier: 3 })
    const text = await theirs.text()
    expect(text).not.toContain('A secret result')
    expect(JSON.parse(text)).toMatchObject({ ok: false, error: { code: 'MODULE_NOT_FOUND' } })
  })

  it('kill switch: a tenant switch stops only that tenant', async () => {
    const d = await openTenant()
    expect((await call('POST', '/v1/killswitch', { token: d.token.value, body: { scope: 'tenant', reason: 'test' } })).status).toBe(200)
    const killed = await json<{ error?: { code: string } }>(await call('POST', '/v1/exec', { token: d.token.value, body: { command: 'echo x' } }))
    expect(killed.error?.code).toBe('KILL_SWITCH')
    const other = await json<{ error?: { code: string } }>(await asA('POST', '/v1/exec', { command: 'echo y' }))
    expect(other.error?.code).not.toBe('KILL_SWITCH')
    const global = await call('POST', '/v1/killswitch', { token: d.token.value, body: { scope: 'global', reason: 'nope' } })
    expect(global.status).toBe(403)
  })
})
