/**
 * The end of an approval gate (FR-POL-2): governance decided, and the task
 * parked in `awaiting_approval` either joins the queue (approved) or fails
 * POLICY_DENIED (rejected, or the approval expired).
 */
import { FabricError } from '../../types/errors'
import type { AgentRuntime } from './runtime'
import type { TaskRow } from './task-record'
import { finishTask, makeReady, unmetDependencies } from './task-transitions'

export type ApprovalDecision = 'approved' | 'rejected' | 'expired'

export interface ApprovalInfo {
  approvalId: string
  approver?: string
  reason?: string
}

export function resolveApproval(rt: AgentRuntime, taskId: string, decision: ApprovalDecision, info: ApprovalInfo): TaskRow {
  const row = rt.queue.get(taskId)
  if (!row) throw new FabricError('NOT_FOUND', `no task ${taskId} on this agent`)
  if (row.status !== 'awaiting_approval') {
    throw new FabricError('INVALID_STATE', `task ${taskId} is ${row.status}, not awaiting an approval`, { status: row.status })
  }
  return rt.atomically(() => {
    rt.walForTask(row, 'approval.decided', { taskId, decision, ...info })
    if (decision !== 'approved') {
      const why = info.reason ? `: ${info.reason}` : ''
      return finishTask(rt, row, 'failed', {
        error: { code: 'POLICY_DENIED', message: `the approval ${info.approvalId} was ${decision}${info.approver ? ` by ${info.approver}` : ''}${why}` },
      })
    }
    if (unmetDependencies(rt, taskId) > 0) {
      const blocked = rt.queue.update(taskId, { status: 'blocked' })
      rt.emit('task.blocked', { taskId, reason: 'approved; waiting for dependencies' })
      return blocked
    }
    return makeReady(rt, row, 'approved')
  })
}
