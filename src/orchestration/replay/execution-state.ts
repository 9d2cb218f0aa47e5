/**
 * `state_only` replay: an execution's state reconstructed by folding its WAL
 * events in sequence order — no re-execution, no side effects. A saga's
 * events fold with the saga's own fold (the same one its Durable Object
 * recovers with); every other execution folds into the task lifecycle below.
 */
import type { ExecutionTier } from '../../../types/execution'
import type { WalEvent } from '../../../types/fabric'
import { foldSaga, type SagaEvent, type SagaState } from '../saga/saga-model'

export type ExecutionStatus =
  | 'accepted'
  | 'pending'
  | 'blocked'
  | 'awaiting_approval'
  | 'running'
  | 'retry_wait'
  | 'completed'
  | 'failed'
  | 'cancelled'

export interface TaskExecutionState {
  kind: 'task'
  executionId: string
  status: ExecutionStatus | undefined
  agentId?: string
  taskId?: string
  intent?: { intentId: string; intentType: string; sessionId: string; correlationId: string }
  capability?: string
  decision?: { decisionId: string; effect: string }
  approval?: { approvalId: string; status: 'requested' | 'approved' | 'rejected' | 'expired'; expiresAt?: string }
  attempts: number
  tier?: ExecutionTier
  exitCode?: number
  durationMs?: number
  error?: { code: string; message: string }
  /** Every status change, in order, with the event that caused it. */
  transitions: Array<{ seq: number; at: string; event: string; from: ExecutionStatus | undefined; to: ExecutionStatus }>
  events: number
}

export interface SagaExecutionState {
  kind: 'saga'
  executionId: string
  saga: Omit<SagaState, 'principal' | 'traceparent' | 'definition'>
}

export type ExecutionState = TaskExecutionState | SagaExecutionState

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined)

function isSaga(events: readonly WalEvent[]): boolean {
  return events[0]?.type === 'intent.accepted' && events[0].data.event === 'saga.started'
}

/** The status an event moves a task execution to, if it moves it. */
function statusAfter(event: WalEvent): ExecutionStatus | undefined {
  switch (event.type) {
    case 'intent.accepted':
      return 'accepted'
    case 'task.scheduled':
      return (str(event.data.status) as ExecutionStatus | undefined) ?? 'pending'
    case 'approval.requested':
      return 'awaiting_approval'
    case 'approval.decided':
      return event.data.decision === 'approved' ? 'pending' : undefined
    case 'task.started':
      return 'running'
    case 'task.attempt':
      return event.data.outcome === 'retrying' ? 'retry_wait' : undefined
    case 'task.completed':
      return 'completed'
    case 'task.failed':
      return 'failed'
    case 'task.cancelled':
      return 'cancelled'
    default:
      return undefined
  }
}

function absorb(state: TaskExecutionState, event: WalEvent): void {
  const { data } = event
  if (event.agentId) state.agentId = event.agentId
  if (event.tier) state.tier = event.tier
  const taskId = str(data.taskId)
  if (taskId) state.taskId = taskId
  switch (event.type) {
    case 'intent.accepted':
      state.intent = { intentId: str(data.intentId) ?? '', intentType: str(data.intentType) ?? '', sessionId: str(data.sessionId) ?? '', correlationId: str(data.correlationId) ?? '' }
      return
    case 'capability.resolved':
      state.capability = str(data.capability) ?? ''
      return
    case 'policy.decided':
      state.decision = { decisionId: str(data.decisionId) ?? '', effect: str(data.effect) ?? '' }
      return
    case 'approval.requested':
      state.approval = { approvalId: str(data.approvalId) ?? '', status: 'requested', ...(str(data.expiresAt) ? { expiresAt: str(data.expiresAt) as string } : {}) }
      return
    case 'approval.decided':
      state.approval = { ...(state.approval ?? { approvalId: str(data.approvalId) ?? '' }), status: (str(data.decision) ?? 'rejected') as 'approved' | 'rejected' | 'expired' }
      return
    case 'task.started':
      state.attempts = num(data.attempt) ?? state.attempts + 1
      return
    case 'task.attempt':
    case 'task.completed':
    case 'task.failed':
    case 'task.cancelled': {
      const code = str(data.code)
      if (code) state.error = { code, message: str(data.message) ?? '' }
      const exitCode = num(data.exitCode)
      if (exitCode !== undefined) state.exitCode = exitCode
      const durationMs = num(data.durationMs)
      if (durationMs !== undefined) state.durationMs = durationMs
      return
    }
    default:
      return
  }
}

export function foldExecution(executionId: string, events: readonly WalEvent[]): ExecutionState {
  if (isSaga(events)) {
    // A saga execution's WAL events carry its journal events verbatim (saga-journal.ts records them).
    const saga = foldSaga(events.map((e) => e.data as SagaEvent))
    if (!saga) throw new Error('a saga execution without saga.started')
    const { principal: _p, traceparent: _t, definition: _d, ...visible } = saga
    return { kind: 'saga', executionId, saga: visible }
  }
  const state: TaskExecutionState = { kind: 'task', executionId, status: undefined, attempts: 0, transitions: [], events: 0 }
  for (const event of events) {
    state.events++
    absorb(state, event)
    const to = statusAfter(event)
    if (to && to !== state.status) {
      state.transitions.push({ seq: event.seq, at: event.at, event: event.type, from: state.status, to })
      state.status = to
    }
  }
  return state
}
