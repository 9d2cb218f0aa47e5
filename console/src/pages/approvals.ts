/** The approvals inbox: tasks parked by a require_approval rule, approved or rejected through POST /v1/approvals/:id. */
import { describeError, fabric } from '../api'
import { field, h, statusLine, table } from '../dom'
import { every, type Page } from '../page'

export const approvalsPage: Page = (main) => {
  const approver = h('input', { id: 'approver', name: 'approver', required: true, value: 'console' })
  const status = statusLine('approvals-status')
  const inbox = h('section', { id: 'inbox', 'aria-label': 'Pending approvals' })

  async function decide(id: string, decision: 'approve' | 'reject'): Promise<void> {
    try {
      await fabric().POST('/v1/approvals/{id}', { params: { path: { id } }, body: { decision, approver: approver.value || 'console' } })
      status.textContent = `${decision === 'approve' ? 'Approved' : 'Rejected'} ${id}`
      await refresh()
    } catch (error) {
      status.textContent = `${decision} failed: ${describeError(error)}`
    }
  }

  async function refresh(): Promise<void> {
    try {
      const { data } = await fabric().GET('/v1/approvals')
      const pending = (data?.approvals ?? []).filter((a) => a.status === 'pending')
      inbox.replaceChildren(
        pending.length === 0
          ? h('p', {}, 'Nothing waits for a decision.')
          : table(
              `Pending (${pending.length})`,
              ['Action', 'Agent', 'Task', 'Policy', 'Expires', 'Decide'],
              pending.map((a) => [
                h('code', {}, a.action),
                h('a', { href: `#/agents/${encodeURIComponent(a.agentId)}` }, a.agentId),
                a.taskId.slice(-8),
                a.policyId ?? '',
                a.expiresAt,
                h(
                  'span',
                  { class: 'actions' },
                  h('button', { type: 'button', 'aria-label': `Approve ${a.action}`, onclick: () => decide(a.approvalId, 'approve') }, 'Approve'),
                  h('button', { type: 'button', class: 'danger', 'aria-label': `Reject ${a.action}`, onclick: () => decide(a.approvalId, 'reject') }, 'Reject'),
                ),
              ]),
            ),
      )
    } catch (error) {
      status.textContent = `Could not list approvals: ${describeError(error)}`
    }
  }
  main.append(field('Approve as', approver), status, inbox)
  return every(3000, refresh)
}
