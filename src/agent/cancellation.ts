/**
 * Stopping work (FR-SCHED-4): cancelling a task wherever it is, and stopping a
 * running attempt from outside (timeout, kill switch, lost heartbeat, drain
 * timeout). A stopped attempt is recorded through `recordOutcome` like any
 * other, so the failure table decides what happens to the task.
 */
import { FabricError } from '../../types/errors'
import { isFinal } from './dependencies'
import type { Dispatcher } from './dispatcher'
import { recordOutcome, stoppedOutcome } from './outcome'
import type { AgentRuntime } from './runtime'
import type { TaskError, TaskRow } from './task-record'
import { finishTask } from './task-transitions'

export function stopAttempt(rt: AgentRuntime, dispatcher: Dispatcher, row: TaskRow, error: TaskError): void {
  dispatcher.abort(row.id, error.message)
  recordOutcome(rt, row.id, stoppedOutcome(rt, row, error))
}

export function cancelTask(rt: AgentRuntime, dispatcher: Dispatcher, row: TaskRow, reason: string): TaskRow {
  if (isFinal(row.status)) {
    throw new FabricError('INVALID_STATE', `task ${row.id} already ended ${row.status}; there is nothing to cancel`, { status: row.status })
  }
  const error = { code: 'CANCELLED', message: reason }
  if (row.status === 'running') stopAttempt(rt, dispatcher, row, error)
  else rt.atomically(() => finishTask(rt, row, 'cancelled', { error }))
  return rt.queue.get(row.id) ?? row
}

/** Stops every running attempt with `error` (its failure-table response applies); returns how many. */
export function stopAllRunning(rt: AgentRuntime, dispatcher: Dispatcher, error: TaskError): number {
  const rows = rt.queue.withStatus(['running'])
  for (const row of rows) stopAttempt(rt, dispatcher, row, error)
  return rows.length
}
