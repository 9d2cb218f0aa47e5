import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { AgentDO } from '../../src/agent/agent-do'
import { agentStub } from '../../src/agent/router'
import { newTenant } from '../helpers/tenants'
import { ManualClock } from '../agent/helpers'

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, string> }
}
interface ApprovalBody {
  approvalId: string
  agentId: string
  taskId: string
  status: string
  expiresAt: string
  reason?: string
}

describe('approval expiry over HTTP, driven by the agent alarm', () => {
  it('the alarm at the expiry fails the task, GET /v1/approvals lists it expired, a late decision answers 409', async () => {
    const t = await newTenant()
    await t.json('PUT', '/v1/policies/gate', { rules: [{ actionPattern: 'exec:echo', effect: 'require_approval', approvers: ['alice'], approvalTtlSeconds: 60 }] })
    const parked = await t.json<ErrorBody>('POST', '/v1/exec', { command: 'echo too-late' })
    expect(parked.status).toBe(202)
    const taskId = parked.body.error.details?.taskId as string
    const approvalId = parked.body.error.details?.approvalId as string
    const [pending] = (await t.json<{ approvals: ApprovalBody[] }>('GET', '/v1/approvals')).body.approvals
    expect([pending?.approvalId, pending?.status]).toEqual([approvalId, 'pending'])

    // The agent's time moves to the expiry; only its alarm (no request) expires the approval.
    const stub = agentStub(env, t.tenantId, pending?.agentId as string)
    const clock = new ManualClock(Date.parse(pending?.expiresAt as string))
    await runInDurableObject(stub, (instance: AgentDO) => {
      instance.clock = clock
    })
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const expired = await env.DB.prepare('SELECT status FROM approvals WHERE id = ?1').bind(approvalId).first<{ status: string }>()
    expect(expired?.status).toBe('expired')

    const task = await t.json<{ status: string; error?: { code: string; message: string } }>('GET', `/v1/tasks/${taskId}`)
    expect([task.body.status, task.body.error]).toEqual([
      'failed',
      { code: 'POLICY_DENIED', message: `the approval ${approvalId} was expired: expired before anyone decided` },
    ])
    const listed = (await t.json<{ approvals: ApprovalBody[] }>('GET', '/v1/approvals')).body.approvals
    expect(listed.map((a) => [a.approvalId, a.status, a.reason])).toEqual([[approvalId, 'expired', 'expired before anyone decided']])

    const late = await t.json<ErrorBody>('POST', `/v1/approvals/${approvalId}`, { decision: 'approve', approver: 'alice' })
    expect([late.status, late.body.error.code, late.body.error.message]).toEqual([
      409,
      'INVALID_STATE',
      `approval ${approvalId} is already expired; a decided approval cannot change`,
    ])
  })
})
