import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ApprovalStore } from '../../src/governance/approvals'
import { createGovernance } from '../../src/governance/governance'
import { freshTenant, governedRequest } from './helpers'

async function parkedApproval(approvers: string[] | undefined, approvalTtlSeconds?: number) {
  const tenant = freshTenant()
  const g = createGovernance({ DB: env.DB, POLICY_DEFAULT_EFFECT: 'allow' })
  await g.policies.put(tenant, 'gate', {
    scope: { level: 'tenant' },
    priority: 0,
    rules: [{ actionPattern: 'exec:deploy', effect: 'require_approval', ...(approvers ? { approvers } : {}), ...(approvalTtlSeconds ? { approvalTtlSeconds } : {}) }],
  })
  const request = governedRequest(tenant, ['exec:deploy'], { agentId: 'a1', summary: { command: 'deploy --token=abcdef123456' } })
  const decision = await g.decide(request)
  const ticket = await g.requestApproval(request, decision, { agentId: 'a1', taskId: 'tsk_1' })
  return { tenant, g, request, decision, ticket }
}

describe('approvals', () => {
  it('parks a pending approval that names the rule, approvers, expiry and redacted inputs', async () => {
    const { tenant, g, request, decision, ticket } = await parkedApproval(['alice', 'bob'], 120)
    expect(decision.effect).toBe('require_approval')
    const approval = await g.approvals.get(tenant, ticket.approvalId)
    expect(approval).toMatchObject({
      approvalId: ticket.approvalId,
      agentId: 'a1',
      taskId: 'tsk_1',
      executionId: request.ctx.executionId,
      decisionId: decision.decisionId,
      action: 'exec:deploy',
      policyId: 'gate',
      approvers: ['alice', 'bob'],
      status: 'pending',
      summary: { command: 'deploy --token=[REDACTED]' },
      expiresAt: ticket.expiresAt,
    })
    expect(Date.parse(ticket.expiresAt) - Date.parse(approval.requestedAt)).toBe(120_000)
    expect((await g.approvals.list(tenant, { status: 'pending', limit: 10 })).map((a) => a.approvalId)).toEqual([ticket.approvalId])
  })

  it('approve by a listed approver, once', async () => {
    const { tenant, g, ticket } = await parkedApproval(['alice'])
    const approved = await g.approvals.decide(tenant, ticket.approvalId, { decision: 'approve', approver: 'alice', reason: 'ok' })
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'alice', reason: 'ok' })
    await expect(g.approvals.decide(tenant, ticket.approvalId, { decision: 'reject', approver: 'alice' })).rejects.toMatchObject({
      code: 'INVALID_STATE',
      status: 409,
    })
  })

  it('reject', async () => {
    const { tenant, g, ticket } = await parkedApproval(['alice'])
    expect(await g.approvals.decide(tenant, ticket.approvalId, { decision: 'reject', approver: 'alice', reason: 'no' })).toMatchObject({ status: 'rejected' })
  })

  it('refuses an approver the rule does not list, and leaves it pending', async () => {
    const { tenant, g, ticket } = await parkedApproval(['alice'])
    await expect(g.approvals.decide(tenant, ticket.approvalId, { decision: 'approve', approver: 'mallory' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    })
    expect((await g.approvals.get(tenant, ticket.approvalId)).status).toBe('pending')
  })

  it('without listed approvers anyone the route lets through may decide', async () => {
    const { tenant, g, ticket } = await parkedApproval(undefined)
    expect(await g.approvals.decide(tenant, ticket.approvalId, { decision: 'approve', approver: 'carol' })).toMatchObject({ status: 'approved' })
  })

  it('expires: a late decision is refused and the approval reads expired', async () => {
    const { tenant, ticket } = await parkedApproval(['alice'], 60)
    const later = new ApprovalStore(env.DB, () => new Date(Date.parse(ticket.expiresAt) + 1))
    await expect(later.decide(tenant, ticket.approvalId, { decision: 'approve', approver: 'alice' })).rejects.toMatchObject({
      code: 'INVALID_STATE',
      details: { status: 'expired' },
    })
    expect((await later.get(tenant, ticket.approvalId)).status).toBe('expired')
  })

  it('expireOverdue returns exactly the overdue pending approvals', async () => {
    const { tenant, ticket } = await parkedApproval(['alice'], 60)
    const before = new ApprovalStore(env.DB, () => new Date(Date.parse(ticket.expiresAt) - 1000))
    expect(await before.expireOverdue(tenant)).toEqual([])
    const after = new ApprovalStore(env.DB, () => new Date(Date.parse(ticket.expiresAt)))
    expect((await after.expireOverdue(tenant)).map((a) => [a.approvalId, a.status])).toEqual([[ticket.approvalId, 'expired']])
    expect(await after.expireOverdue(tenant)).toEqual([])
  })

  it('is tenant-scoped', async () => {
    const { g, ticket } = await parkedApproval(['alice'])
    await expect(g.approvals.get(freshTenant(), ticket.approvalId)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('refuses to park a decision that is not require_approval', async () => {
    const tenant = freshTenant()
    const g = createGovernance({ DB: env.DB, POLICY_DEFAULT_EFFECT: 'allow' })
    const request = governedRequest(tenant, ['exec:ls'])
    const decision = await g.decide(request)
    await expect(g.requestApproval(request, decision, { agentId: 'a1', taskId: 't' })).rejects.toMatchObject({ code: 'INVALID_STATE' })
  })
})
