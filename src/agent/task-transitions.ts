/**
 * A task's state changes after it was queued, each with its WAL event and
 * stream event. Call inside `rt.atomically`: the row, the WAL event and the
 * stream event commit together. Unblocking dependents lives here too: a
 * finished task resolves them, and a failed dependency finishes them in turn.
 */
import type { ExecResult } from '../../types/execution'
import type { TaskStatus, WalEventType } from '../../types/fabric'
import type { AgentRuntime } from './runtime'
import type { AgentEventType } from './stream'
import { contextOf, priorityOfRank, type TaskError, type TaskRow } from './task-record'
import { collectOutputBlobs } from './output-spill'
import { jsonChunks } from '../core/json-chunks'

export type FinalStatus = Extract<TaskStatus, 'completed' | 'failed' | 'cancelled'>

const FINAL_EVENT: Record<FinalStatus, AgentEventType & WalEventType> = {
  completed: 'task.completed',
  failed: 'task.failed',
  cancelled: 'task.cancelled',
}

/** Finished tasks are kept this long for status queries and dependencies, then purged. */
export const FINISHED_TASK_RETENTION_MS = 7 * 86_400_000
/** Purging runs on every this-many-th task to finish, so its cost is spread thin. */
const PURGE_EVERY = 256

/** The largest result kept with a task; a bigger one keeps its head and is marked truncated. */
const MAX_STORED_OUTPUT = 256 * 1024

function storable(result: ExecResult): ExecResult {
  if (result.stdout.length <= MAX_STORED_OUTPUT && result.stderr.length <= MAX_STORED_OUTPUT) return result
  return {
    ...result,
    stdout: result.stdout.slice(0, MAX_STORED_OUTPUT),
    stderr: result.stderr.slice(0, MAX_STORED_OUTPUT),
    truncated: true,
  }
}

function summary(row: TaskRow, extra: Record<string, unknown>): Record<string, unknown> {
  return { taskId: row.id, type: row.type, attempts: row.attempts, ...extra }
}

/** Ends a task; dependents on this agent learn of it in the same transaction. */
export function finishTask(
  rt: AgentRuntime,
  row: TaskRow,
  status: FinalStatus,
  outcome: { result?: ExecResult; error?: TaskError },
): TaskRow {
  const [finished] = finishTasks(rt, [{ row, status, outcome }])
  if (!finished) throw new Error(`task ${row.id} vanished while it finished`)
  return finished
}

/**
 * Ends tasks together (attempts that ended in the same turn): one update,
 * one WAL append and one stream insert for all of them, each task's own
 * final event in its own execution. Dependents learn in the same transaction.
 */
export function finishTasks(rt: AgentRuntime, ends: ReadonlyArray<{ row: TaskRow; status: FinalStatus; outcome: { result?: ExecResult; error?: TaskError } }>): TaskRow[] {
  if (ends.length === 0) return []
  const now = rt.clock.now()
  const closing = ends.map(({ row, status, outcome }) => {
    const error = outcome.error ?? (outcome.result?.error ? { code: outcome.result.error.code, message: outcome.result.error.message } : undefined)
    return { id: row.id, status, result: outcome.result, error }
  })
  const finished = rt.queue.finishMany(
    closing.map(({ id, status, result, error }) => ({ id, status, result: result ? JSON.stringify(storable(result)) : null, error: error ? JSON.stringify(error) : null })),
    now,
  )
  const byId = new Map(closing.map((end) => [end.id, end]))
  const events = finished.map((row) => {
    const { status, result, error } = byId.get(row.id) ?? { status: row.status as FinalStatus, result: undefined, error: undefined }
    const facts = summary(row, {
      status,
      ...(error ? { code: error.code, message: error.message } : {}),
      ...(result ? { exitCode: result.exitCode, tier: result.tier, durationMs: result.duration } : {}),
      ...(result?.route ? { route: result.route } : {}),
    })
    return { row, type: FINAL_EVENT[status], data: facts, extra: result ? { tier: result.tier } : {}, emit: FINAL_EVENT[status] }
  })
  rt.walForTasks(events)
  resolveDependentsOf(rt, finished.map((row) => [row.id, row.status]))
  for (const row of finished) rt.notifyWaiters(row.id)
  if (finished.some((row) => row.seq % PURGE_EVERY === 0)) {
    const purged = rt.queue.purgeFinished(now - FINISHED_TASK_RETENTION_MS)
    // A purged task's execution gets no more events (each task has its own; a WAL event needs the task row).
    rt.ports.wal.ended(purged.map((task) => task.executionId))
    const [first] = finished
    if (purged.length > 0 && first) rt.ctx.waitUntil(collectOutputBlobs(rt.env.FILES, contextOf(first).tenantId, purged.map((task) => task.id)))
  }
  return finished
}

/** A failed attempt that will run again after `delayMs` (driven by the alarm). */
export function scheduleRetry(rt: AgentRuntime, row: TaskRow, result: ExecResult | undefined, error: TaskError, delayMs: number): TaskRow {
  const at = rt.clock.now() + delayMs
  const waiting = rt.queue.update(row.id, {
    status: 'retry_wait',
    next_attempt_at: at,
    error: JSON.stringify(error),
    ...(result ? { result: JSON.stringify(storable(result)) } : {}),
  })
  const facts = summary(waiting, { code: error.code, message: error.message, delayMs, nextAttemptAt: new Date(at).toISOString() })
  rt.walForTask(waiting, 'task.attempt', { ...facts, outcome: 'retrying' })
  rt.emit('task.retrying', facts)
  rt.notifyWaiters(waiting.id)
  return waiting
}

/** Back into the queue (a due retry, an approval, an orphaned or interrupted attempt). */
export function makeReady(rt: AgentRuntime, row: TaskRow, reason: string): TaskRow {
  const ready = rt.queue.update(row.id, { status: 'pending', ready_at: rt.clock.now(), next_attempt_at: null, started_at: null })
  // The row keeps the rank for ordering; events name the priority as the caller gave it ("high"), as admission does.
  rt.emit('task.queued', summary(ready, { priority: priorityOfRank(ready.priority), reason }))
  rt.notifyWaiters(ready.id)
  return ready
}

/** Dependencies of a task here that have not completed yet. */
export function unmetDependencies(rt: AgentRuntime, taskId: string): number {
  return rt.sql
    .exec<{ n: number }>(
      `SELECT COUNT(*) AS n FROM task_dependencies WHERE task_id = ? AND (status IS NULL OR status != 'completed')`,
      taskId,
    )
    .one().n
}

/** A dependency ended: unblock or fail the tasks here that wait for it. Inside a transaction. */
export function resolveLocalDependents(rt: AgentRuntime, dependency: string, status: TaskStatus): void {
  resolveDependentsOf(rt, [[dependency, status]])
}

/** `resolveLocalDependents` for many ended dependencies, with one update. */
function resolveDependentsOf(rt: AgentRuntime, ended: ReadonlyArray<readonly [string, TaskStatus]>): void {
  rt.dependents ??= rt.sql.exec<{ any: number }>('SELECT EXISTS (SELECT 1 FROM task_dependencies WHERE status IS NULL) AS any').one().any === 1
  if (!rt.dependents) return
  const waiting = jsonChunks(ended).flatMap((chunk) =>
    rt.sql
      .exec<{ task_id: string; depends_on: string; status: TaskStatus }>(
        `UPDATE task_dependencies SET status = j.value ->> 1 FROM json_each(?) AS j
         WHERE task_dependencies.depends_on = j.value ->> 0 AND task_dependencies.status IS NULL
         RETURNING task_id, depends_on, status`,
        chunk,
      )
      .toArray(),
  )
  // Some were resolved: whether any is left unresolved is asked again next time.
  if (waiting.length > 0) rt.dependents = undefined
  for (const { task_id: taskId, depends_on: dependency, status } of waiting) {
    const row = rt.queue.get(taskId)
    if (!row || (row.status !== 'blocked' && row.status !== 'awaiting_approval')) continue
    if (status !== 'completed') {
      const failed = finishTask(rt, row, 'failed', {
        error: { code: 'DEPENDENCY_FAILED', message: `dependency ${dependency} ended ${status}` },
      })
      rt.emit('task.escalated', { taskId: failed.id, dependency, dependencyStatus: status })
    } else if (row.status === 'blocked' && unmetDependencies(rt, taskId) === 0) {
      makeReady(rt, row, 'dependencies completed')
    }
  }
}
