import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { resolveOnAgent } from '../../src/governance/agent-signals'
import { ApprovalStore, type Approval } from '../../src/governance/approvals'
import { newTenant, tokenWith, type TenantClient } from '../helpers/tenants'

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, string> }
}
interface TaskBody {
  id: string
  status: string
  executionId: string
  result?: { ok: boolean; stdout: string }
  error?: { code: string; message: string }
}
interface ApprovalBody {
  approvalId: string
  taskId: string
  status: string
  approvers: string[]
  decidedBy?: string
}
interface WalBody {
  events: Array<{ seq: number; type: string; data: Record<string, unknown> }>
}

/** An exec parked behind a require_approval rule: the 202 names its task and approval. */
async function parkedExec(t: TenantClient, approvers: string[] = ['alice']): Promise<{ taskId: string; approvalId: string }> {
  await t.json('PUT', '/v1/policies/gate', { rules: [{ actionPattern: 'exec:echo', effect: 'require_approval', approvers }] })
  const parked = await t.json<ErrorBody>('POST', '/v1/exec', { command: 'echo approved-run' })
  expect(parked.status).toBe(202)
  expect(parked.body.error.code).toBe('APPROVAL_REQUIRED')
  return { taskId: parked.body.error.details?.taskId as string, approvalId: parked.body.error.details?.approvalId as string }
}

describe('approvals over HTTP', () => {
  it('parks the task until an approver approves it, then it runs to completion; the WAL shows both', async () => {
    const t = await newTenant()
    const { taskId, approvalId } = await parkedExec(t)
    expect((await t.json<TaskBody>('GET', `/v1/tasks/${taskId}`)).body.status).toBe('awaiting_approval')

    const pending = await t.json<{ approvals: ApprovalBody[] }>('GET', '/v1/approvals?status=pending')
    expect(pending.body.approvals.map((a) => [a.approvalId, a.taskId, a.approvers])).toEqual([[approvalId, taskId, ['alice']]])

    const approved = await t.json<ApprovalBody>('POST', `/v1/approvals/${approvalId}`, { decision: 'approve', approver: 'alice', reason: 'looks fine' })
    expect(approved.status).toBe(200)
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'alice' })

    const done = await t.json<TaskBody>('GET', `/v1/tasks/${taskId}?wait=30`)
    expect(done.body.status).toBe('completed')
    expect(done.body.result).toMatchObject({ ok: true, stdout: 'approved-run\n' })

    const wal = await t.json<WalBody>('GET', `/v1/wal?executionId=${done.body.executionId}`)
    const types = wal.body.events.map((e) => e.type)
    expect(types.indexOf('approval.requested')).toBeGreaterThan(types.indexOf('task.scheduled'))
    expect(types.indexOf('approval.decided')).toBeGreaterThan(types.indexOf('approval.requested'))
    expect(types.indexOf('task.started')).toBeGreaterThan(types.indexOf('approval.decided'))
    expect(wal.body.events.find((e) => e.type === 'approval.decided')?.data).toMatchObject({ decision: 'approved', approvalId, approver: 'alice' })
  })

  it('a rejection fails the task with POLICY_DENIED', async () => {
    const t = await newTenant()
    const { taskId, approvalId } = await parkedExec(t)
    expect((await t.json<ApprovalBody>('POST', `/v1/approvals/${approvalId}`, { decision: 'reject', approver: 'alice', reason: 'not today' })).body.status).toBe('rejected')
    const task = await t.json<TaskBody>('GET', `/v1/tasks/${taskId}`)
    expect(task.body.status).toBe('failed')
    expect(task.body.error?.code).toBe('POLICY_DENIED')
    expect(task.body.error?.message).toContain('not today')
  })

  it('refuses an approver the rule does not name, and a second decision', async () => {
    const t = await newTenant()
    const { approvalId } = await parkedExec(t)
    const wrong = await t.json<ErrorBody>('POST', `/v1/approvals/${approvalId}`, { decision: 'approve', approver: 'mallory' })
    expect(wrong.status).toBe(403)
    expect(wrong.body.error.code).toBe('FORBIDDEN')
    await t.json('POST', `/v1/approvals/${approvalId}`, { decision: 'approve', approver: 'alice' })
    const again = await t.json<ErrorBody>('POST', `/v1/approvals/${approvalId}`, { decision: 'reject', approver: 'alice' })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('INVALID_STATE')
  })

  it('needs the admin scope to decide', async () => {
    const t = await newTenant()
    const { approvalId } = await parkedExec(t)
    const agentToken = await tokenWith(t, ['agent', 'read'])
    const refused = await agentToken.json<ErrorBody>('POST', `/v1/approvals/${approvalId}`, { decision: 'approve', approver: 'alice' })
    expect(refused.status).toBe(403)
  })
})

describe('kill switch over HTTP', () => {
  it('a tenant switch refuses executions with 403 KILL_SWITCH until lifted', async () => {
    const t = await newTenant()
    const thrown = await t.json<{ killSwitch: { scope: string; active: boolean } }>('POST', '/v1/killswitch', { scope: 'tenant', reason: 'incident 7' })
    expect(thrown.status).toBe(200)
    expect(thrown.body.killSwitch).toMatchObject({ scope: 'tenant', active: true })
    const refused = await t.json<ErrorBody>('POST', '/v1/exec', { command: 'echo hi' })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('KILL_SWITCH')
    expect(refused.body.error.message).toContain('incident 7')
    const intent = await t.json<ErrorBody>('POST', '/v1/intents', { intent_type: 'text.echo', session_id: 's', payload: { text: 'x' } })
    expect(intent.body.error.code).toBe('KILL_SWITCH')

    await t.json('POST', '/v1/killswitch', { scope: 'tenant', active: false, reason: 'resolved' })
    const ok = await t.json<{ ok: boolean; stdout: string }>('POST', '/v1/exec', { command: 'echo hi' })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ ok: true, stdout: 'hi\n' })
  })

  it('answers 403 KILL_SWITCH on every governed route once the switch suspended the agents it covers', async () => {
    const t = await newTenant()
    await t.json('POST', '/v1/agents', { id: 'worker' })
    expect((await t.json<{ ok: boolean }>('POST', '/v1/exec', { command: 'echo warm' })).body.ok).toBe(true) // the default agent exists now
    await t.json('POST', '/v1/killswitch', { scope: 'tenant', reason: 'incident 8' })
    for (const [method, path, body] of [
      ['POST', '/v1/exec', { command: 'echo hi' }],
      ['POST', '/v1/agents/worker/tasks', { command: 'echo x' }],
      ['POST', '/v1/agents/worker/resume', {}],
      ['POST', '/v1/intents', { intent_type: 'text.echo', session_id: 's', payload: { text: 'x' } }],
      ['POST', '/v1/sagas', { steps: [{ command: 'echo step' }] }],
    ] as const) {
      const refused = await t.json<ErrorBody>(method, path, body)
      expect([path, refused.status, refused.body.error.code]).toEqual([path, 403, 'KILL_SWITCH'])
      expect(refused.body.error.message).toContain('incident 8')
    }
  })

  it('an agent switch stops that agent only', async () => {
    const t = await newTenant()
    await t.json('POST', '/v1/agents', { id: 'worker' })
    await t.json('POST', '/v1/killswitch', { scope: 'agent', agentId: 'worker', reason: 'runaway' })
    const refused = await t.json<ErrorBody>('POST', '/v1/agents/worker/tasks', { command: 'echo x' })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('KILL_SWITCH')
    expect((await t.json<{ ok: boolean }>('POST', '/v1/exec', { command: 'echo y' })).body.ok).toBe(true)
    const listed = await t.json<{ killSwitches: Array<{ scope: string; agentId?: string; active: boolean }> }>('GET', '/v1/killswitch')
    expect(listed.body.killSwitches).toEqual([expect.objectContaining({ scope: 'agent', agentId: 'worker', active: true })])
  })

  it('a tenant switch refuses file writes over HTTP and RPC with KILL_SWITCH, and leaves reads open', async () => {
    const t = await newTenant()
    expect((await t.call('PUT', '/v1/fs/before.txt', 'kept')).status).toBe(201)
    await t.json('POST', '/v1/killswitch', { scope: 'tenant', reason: 'incident 7' })
    const put = await t.json<ErrorBody>('PUT', '/v1/fs/after.txt', 'no')
    expect([put.status, put.body.error.code]).toEqual([403, 'KILL_SWITCH'])
    const removed = await t.json<ErrorBody>('DELETE', '/v1/fs/before.txt')
    expect([removed.status, removed.body.error.code]).toEqual([403, 'KILL_SWITCH'])
    const rpc = env.RPC_CLIENT as unknown as { tryCall(token: string, method: string, ...args: unknown[]): Promise<{ ok: boolean; message?: string }> }
    expect((await rpc.tryCall(t.token, 'writeFile', '/rpc.txt', 'no')).message).toMatch(/^KILL_SWITCH: /)
    expect((await rpc.tryCall(t.token, 'remove', '/before.txt')).message).toMatch(/^KILL_SWITCH: /)
    expect(await (await t.call('GET', '/v1/fs/before.txt')).text()).toBe('"kept"')
    expect(await rpc.tryCall(t.token, 'readTextFile', '/before.txt')).toMatchObject({ ok: true, value: '"kept"' })
    await t.json('POST', '/v1/killswitch', { scope: 'tenant', active: false, reason: 'resolved' })
    expect((await t.call('PUT', '/v1/fs/after.txt', 'yes')).status).toBe(201)
  })

  it('only an operator may throw the global switch', async () => {
    const t = await newTenant()
    const refused = await t.json<ErrorBody>('POST', '/v1/killswitch', { scope: 'global', reason: 'no' })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('FORBIDDEN')
  })

  it('validates the request', async () => {
    const t = await newTenant()
    const missingAgent = await t.json<ErrorBody>('POST', '/v1/killswitch', { scope: 'agent', reason: 'x' })
    expect(missingAgent.status).toBe(400)
    expect(missingAgent.body.error.message).toContain('agentId')
  })
})

describe('approval expiry and kill-switch aborts reach the agents', () => {
  it('an expired approval fails its parked task', async () => {
    const t = await newTenant()
    const { taskId, approvalId } = await parkedExec(t)
    const later = new ApprovalStore(env.DB, () => new Date(Date.now() + 2 * 3600 * 1000))
    const [expired] = await later.expireOverdue(t.tenantId)
    expect(expired).toMatchObject({ approvalId, status: 'expired' })
    await resolveOnAgent(env, expired as Approval)
    const task = await t.json<TaskBody>('GET', `/v1/tasks/${taskId}`)
    expect(task.body.status).toBe('failed')
    expect(task.body.error).toMatchObject({ code: 'POLICY_DENIED' })
    expect(task.body.error?.message).toContain('expired')
    const listed = await t.json<{ approvals: ApprovalBody[] }>('GET', '/v1/approvals')
    expect(listed.body.approvals.map((a) => a.status)).toEqual(['expired'])
  })

  it('a tenant switch signals every live agent of the tenant, which stops taking work', async () => {
    const t = await newTenant()
    await t.json('POST', '/v1/agents', { id: 'a1' })
    await t.json('POST', '/v1/agents', { id: 'a2' })
    await t.json('POST', '/v1/agents/a2/suspend', {})
    const thrown = await t.json<{ agents: { signalled: number; failed: unknown[] } }>('POST', '/v1/killswitch', { scope: 'tenant', reason: 'stop all' })
    expect(thrown.body.agents).toEqual({ signalled: 2, failed: [] })
    expect((await t.json<{ state: string }>('GET', '/v1/agents/a1')).body.state).toBe('SUSPENDED')

    // Lifted: the agent the switch suspended runs again; the one suspended by hand stays suspended.
    const lifted = await t.json<{ agents: { signalled: number } }>('POST', '/v1/killswitch', { scope: 'tenant', active: false, reason: 'all clear' })
    expect(lifted.body.agents.signalled).toBe(2)
    expect((await t.json<{ state: string }>('GET', '/v1/agents/a1')).body.state).toBe('RUNNING')
    expect((await t.json<{ state: string }>('GET', '/v1/agents/a2')).body.state).toBe('SUSPENDED')
    const task = await t.json<{ taskId: string }>('POST', '/v1/agents/a1/tasks', { command: 'echo back' })
    expect((await t.json<{ status: string }>('GET', `/v1/tasks/${task.body.taskId}?wait=30`)).body.status).toBe('completed')
  })

  it('lifting a tenant switch leaves an agent under its own switch suspended', async () => {
    const t = await newTenant()
    await t.json('POST', '/v1/agents', { id: 'a1' })
    await t.json('POST', '/v1/killswitch', { scope: 'agent', agentId: 'a1', reason: 'runaway' })
    await t.json('POST', '/v1/killswitch', { scope: 'tenant', reason: 'outage' })
    await t.json('POST', '/v1/killswitch', { scope: 'tenant', active: false, reason: 'outage over' })
    expect((await t.json<{ state: string }>('GET', '/v1/agents/a1')).body.state).toBe('SUSPENDED')
    await t.json('POST', '/v1/killswitch', { scope: 'agent', agentId: 'a1', active: false, reason: 'fixed' })
    expect((await t.json<{ state: string }>('GET', '/v1/agents/a1')).body.state).toBe('RUNNING')
  })
})
