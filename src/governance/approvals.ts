/**
 * Approvals (FR-POL-2): a `require_approval` decision parks its task and
 * leaves a pending approval here, naming the rule's approvers and an expiry.
 * Deciding is a conditional update (`WHERE status = 'pending'`), so two
 * approvers racing cannot both win, and an approval past its expiry can only
 * become `expired`.
 */
import type { PolicyDecision } from '../../types/fabric'
import { FabricError } from '../../types/errors'
import { newId } from '../core/ids'
import type { ApprovalTicket, GovernedRequest } from '../core/ports'
import { redact } from '../telemetry/redact'

export const DEFAULT_APPROVAL_TTL_SECONDS = 3600
/** Why an approval nobody decided in time ended; its task's error repeats it. */
export const APPROVAL_EXPIRED_REASON = 'expired before anyone decided'

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired'
export type ApprovalVerdict = 'approve' | 'reject'

export interface Approval {
  approvalId: string
  tenantId: string
  agentId: string
  taskId: string
  executionId: string
  decisionId: string
  action: string
  policyId?: string
  approvers: string[]
  summary: Record<string, unknown>
  status: ApprovalStatus
  requestedAt: string
  expiresAt: string
  decidedAt?: string
  decidedBy?: string
  reason?: string
}

interface ApprovalRow {
  id: string
  tenant_id: string
  agent_id: string
  task_id: string
  execution_id: string
  decision_id: string
  action: string
  policy_id: string | null
  approvers: string
  summary: string
  status: ApprovalStatus
  requested_at: string
  expires_at: string
  decided_at: string | null
  decided_by: string | null
  reason: string | null
}

function toApproval(row: ApprovalRow): Approval {
  return {
    approvalId: row.id,
    tenantId: row.tenant_id,
    agentId: row.agent_id,
    taskId: row.task_id,
    executionId: row.execution_id,
    decisionId: row.decision_id,
    action: row.action,
    approvers: JSON.parse(row.approvers) as string[],
    summary: JSON.parse(row.summary) as Record<string, unknown>,
    status: row.status,
    requestedAt: row.requested_at,
    expiresAt: row.expires_at,
    ...(row.policy_id ? { policyId: row.policy_id } : {}),
    ...(row.decided_at ? { decidedAt: row.decided_at } : {}),
    ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
  }
}

export class ApprovalStore {
  constructor(
    private readonly db: D1Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(
    request: GovernedRequest,
    decision: PolicyDecision,
    task: { agentId: string; taskId: string; requestedAt?: number },
  ): Promise<ApprovalTicket> {
    if (decision.effect !== 'require_approval') {
      throw new FabricError('INVALID_STATE', `decision ${decision.decisionId} is "${decision.effect}", not "require_approval"; only those park for approval`)
    }
    const approvalId = newId('apr')
    const requestedAt = task.requestedAt !== undefined ? new Date(task.requestedAt) : this.now()
    const ttlSeconds = decision.matchedRule?.approvalTtlSeconds ?? DEFAULT_APPROVAL_TTL_SECONDS
    const expiresAt = new Date(requestedAt.getTime() + ttlSeconds * 1000).toISOString()
    await this.db
      .prepare(
        `INSERT INTO approvals (id, tenant_id, agent_id, task_id, execution_id, decision_id, action, policy_id, approvers, summary,
           status, requested_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'pending', ?11, ?12)`,
      )
      .bind(
        approvalId,
        request.ctx.tenantId,
        task.agentId,
        task.taskId,
        request.ctx.executionId,
        decision.decisionId,
        decision.action,
        decision.matchedPolicyId ?? null,
        JSON.stringify(decision.matchedRule?.approvers ?? []),
        JSON.stringify(redact(request.summary)),
        requestedAt.toISOString(),
        expiresAt,
      )
      .run()
    return { approvalId, expiresAt }
  }

  async get(tenantId: string, approvalId: string): Promise<Approval> {
    const row = await this.db.prepare('SELECT * FROM approvals WHERE tenant_id = ?1 AND id = ?2').bind(tenantId, approvalId).first<ApprovalRow>()
    if (!row) throw new FabricError('NOT_FOUND', `no approval "${approvalId}" in this tenant; GET /v1/approvals lists them`)
    return toApproval(row)
  }

  /**
   * Marks every pending approval of the tenant overdue at `at` expired and returns them (their tasks must fail).
   * The agent's alarm passes its own clock's time; the routes use the store's.
   */
  async expireOverdue(tenantId: string, at: Date = this.now()): Promise<Approval[]> {
    const { results } = await this.db
      .prepare(
        `UPDATE approvals SET status = 'expired', decided_at = ?2, reason = ?3
         WHERE tenant_id = ?1 AND status = 'pending' AND expires_at <= ?2 RETURNING *`,
      )
      .bind(tenantId, at.toISOString(), APPROVAL_EXPIRED_REASON)
      .all<ApprovalRow>()
    return results.map(toApproval)
  }

  async list(tenantId: string, filter: { status?: ApprovalStatus; limit: number }): Promise<Approval[]> {
    const { results } = await this.db
      .prepare(
        `SELECT * FROM approvals WHERE tenant_id = ?1 AND (?2 IS NULL OR status = ?2)
         ORDER BY requested_at DESC, id LIMIT ?3`,
      )
      .bind(tenantId, filter.status ?? null, filter.limit)
      .all<ApprovalRow>()
    return results.map(toApproval)
  }

  /**
   * Records an approver's verdict. `approver` must be one of the rule's
   * approvers (any caller with the admin scope when the rule names none).
   */
  async decide(tenantId: string, approvalId: string, verdict: { decision: ApprovalVerdict; approver: string; reason?: string }): Promise<Approval> {
    const approval = await this.get(tenantId, approvalId)
    if (approval.status !== 'pending') {
      throw new FabricError('INVALID_STATE', `approval ${approvalId} is already ${approval.status}; a decided approval cannot change`)
    }
    if (approval.approvers.length > 0 && !approval.approvers.includes(verdict.approver)) {
      throw new FabricError('FORBIDDEN', `"${verdict.approver}" may not decide approval ${approvalId}; its rule allows: ${approval.approvers.join(', ')}`)
    }
    const now = this.now().toISOString()
    if (approval.expiresAt <= now) {
      await this.expireOverdue(tenantId)
      throw new FabricError('INVALID_STATE', `approval ${approvalId} expired at ${approval.expiresAt}; its task failed, submit it again to ask anew`, {
        status: 'expired',
      })
    }
    const status: ApprovalStatus = verdict.decision === 'approve' ? 'approved' : 'rejected'
    const row = await this.db
      .prepare(
        `UPDATE approvals SET status = ?3, decided_at = ?4, decided_by = ?5, reason = ?6
         WHERE tenant_id = ?1 AND id = ?2 AND status = 'pending' AND expires_at > ?4 RETURNING *`,
      )
      .bind(tenantId, approvalId, status, now, verdict.approver, verdict.reason ?? null)
      .first<ApprovalRow>()
    if (!row) throw new FabricError('INVALID_STATE', `approval ${approvalId} was decided or expired concurrently; GET /v1/approvals shows its state`)
    return toApproval(row)
  }
}
