/**
 * Approvals expire on time (FR-POL-2): the agent's alarm comes back at the
 * earliest `approval_expires_at` of its parked tasks (TaskQueue.nextDueAt),
 * records the expiry with governance, and fails each overdue task through
 * `resolveApproval` — the same WAL event and stream update an explicit
 * rejection produces, with decision `expired`.
 */
import { APPROVAL_EXPIRED_REASON } from '../governance/approvals'
import { resolveApproval } from './approval'
import type { AgentRuntime } from './runtime'

export async function expireOverdueApprovals(rt: AgentRuntime): Promise<void> {
  const record = rt.agent()
  const now = rt.clock.now()
  const overdue = record ? rt.queue.expiredApprovals(now) : []
  if (!record || overdue.length === 0) return
  try {
    await rt.ports.governance.expireApprovals(record.tenantId, now)
  } catch (error) {
    // The task fails anyway: a late decision is refused by the approval's own expiry, and GET /v1/approvals marks it expired.
    rt.log.warn('could not mark expired approvals in D1; GET /v1/approvals marks them later', { error: String(error) })
  }
  for (const row of overdue) {
    // A decision may have arrived while governance was being told; that one stands.
    if (rt.queue.get(row.id)?.status !== 'awaiting_approval' || row.approval_id === null) continue
    resolveApproval(rt, row.id, 'expired', { approvalId: row.approval_id, reason: APPROVAL_EXPIRED_REASON })
  }
}
