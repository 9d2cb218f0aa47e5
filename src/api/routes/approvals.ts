/**
 * Approvals: `GET /v1/approvals?status=` lists the tenant's approvals (first
 * expiring the overdue ones, whose tasks then fail), and
 * `POST /v1/approvals/:id {decision, approver, reason}` decides one and
 * resumes or fails its parked task on the agent. Deciding needs the admin
 * scope, and `approver` must be one of the rule's approvers when it names any.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { resolveOnAgent } from '../../governance/agent-signals'
import type { Approval } from '../../governance/approvals'
import { createGovernance } from '../../governance/governance'
import { createLogger } from '../../telemetry/logger'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { validationHook } from '../openapi'
import { auditChange } from '../audit-change'
import { ERROR_RESPONSES, LimitSchema, jsonBody, jsonResponse } from '../responses'

const STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const

const ApprovalSchema = z
  .object({
    approvalId: z.string(),
    agentId: z.string(),
    taskId: z.string(),
    executionId: z.string(),
    decisionId: z.string(),
    action: z.string(),
    policyId: z.string().optional(),
    approvers: z.array(z.string()),
    summary: z.record(z.string(), z.unknown()),
    status: z.enum(STATUSES),
    requestedAt: z.string(),
    expiresAt: z.string(),
    decidedAt: z.string().optional(),
    decidedBy: z.string().optional(),
    reason: z.string().optional(),
  })
  .openapi('Approval')

const DecideSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    approver: z.string().min(1).max(256).openapi({ example: 'alice' }),
    reason: z.string().max(2048).optional(),
  })
  .strict()
  .openapi('ApprovalDecision')

function publicApproval({ tenantId: _tenant, ...approval }: Approval) {
  return approval
}

/** Expired approvals fail their tasks; a failure to reach an agent is logged, the approval stays expired. */
async function failExpired(c: Context<AppEnv>, expired: Approval[]): Promise<void> {
  const outcomes = await Promise.allSettled(expired.map((approval) => resolveOnAgent(c.env, approval)))
  const log = createLogger({ traceId: c.get('trace').traceId, requestId: c.get('requestId'), tenantId: c.get('auth').tenantId })
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'rejected') {
      log.warn('could not fail the task of an expired approval', { approvalId: expired[i]?.approvalId, error: outcome.reason })
    }
  })
}

export const approvalRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

approvalRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/approvals',
    security: [{ bearer: [] }],
    middleware: [requireScope('read')],
    request: { query: z.object({ status: z.enum(STATUSES).optional(), limit: LimitSchema }) },
    responses: { 200: jsonResponse('Approvals, newest first', z.object({ approvals: z.array(ApprovalSchema) })), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const query = c.req.valid('query')
    const { approvals } = createGovernance(c.env)
    const tenantId = c.get('auth').tenantId
    await failExpired(c, await approvals.expireOverdue(tenantId))
    const list = await approvals.list(tenantId, { limit: query.limit, ...(query.status ? { status: query.status } : {}) })
    return c.json({ approvals: list.map(publicApproval) }, 200)
  },
)

approvalRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/approvals/{id}',
    security: [{ bearer: [] }],
    middleware: [requireScope('admin')],
    request: { params: z.object({ id: z.string().min(1).max(128).openapi({ param: { name: 'id', in: 'path' } }) }), ...jsonBody(DecideSchema) },
    responses: { 200: jsonResponse('The decided approval; its task resumed or failed', ApprovalSchema), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    const verdict = c.req.valid('json')
    const tenantId = c.get('auth').tenantId
    const { approvals } = createGovernance(c.env)
    const decided = await approvals
      .decide(tenantId, id, { decision: verdict.decision, approver: verdict.approver, ...(verdict.reason ? { reason: verdict.reason } : {}) })
      .catch(async (error: unknown) => {
        // An approval found expired just now still has a task to fail.
        await failExpired(c, await approvals.expireOverdue(tenantId))
        throw error
      })
    await auditChange(c, { action: 'approval.decide', target: { approvalId: id, taskId: decided.taskId }, details: { decision: decided.status, approver: verdict.approver } })
    await resolveOnAgent(c.env, decided)
    return c.json(publicApproval(decided), 200)
  },
)
