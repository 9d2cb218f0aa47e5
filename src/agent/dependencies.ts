/**
 * Task dependencies (FR-SCHED-5), on this agent and across agents. A task
 * whose dependencies have not all completed is `blocked`; when the last one
 * completes it becomes `pending`; when one fails or is cancelled it fails
 * DEPENDENCY_FAILED and is escalated (seed 000: the dependency's own retries
 * have already run by then).
 *
 * Across agents the owner of a dependency keeps a watcher row for each
 * waiting agent and notifies it when the task ends; a watcher row goes only
 * after the notification was delivered (the alarm retries), so a waiting task
 * never misses its dependency's end.
 */
import { TERMINAL_TASK_STATUSES, type TaskStatus } from '../../types/fabric'
import { FabricError } from '../../types/errors'
import { agentStubById } from './router'
import { unwrap } from './rpc-result'
import type { AgentRuntime } from './runtime'
import { agentObjectIdOf } from './task-ids'
import { resolveLocalDependents } from './task-transitions'

export function isFinal(status: TaskStatus): boolean {
  return TERMINAL_TASK_STATUSES.includes(status)
}

function refuseFailedDependency(dependency: string, status: TaskStatus): FabricError {
  return new FabricError('DEPENDENCY_FAILED', `dependency ${dependency} already ended ${status}; queue the task without it or re-run the dependency`, {
    dependency,
    status,
  })
}

/**
 * Checks every dependency exists for this tenant and has not failed, and
 * registers this agent as a watcher of those on other agents. Returns what
 * is known of each dependency's status. Runs before the task is written.
 */
export async function prepareDependencies(rt: AgentRuntime, tenantId: string, dependsOn: readonly string[]): Promise<Map<string, TaskStatus>> {
  const self = rt.ctx.id.toString()
  const known = new Map<string, TaskStatus>()
  for (const dependency of dependsOn) {
    const owner = agentObjectIdOf(dependency)
    let status: TaskStatus | undefined
    if (owner === self) {
      status = rt.queue.get(dependency)?.status
      if (status === undefined) throw unknownDependency(dependency)
    } else if (owner !== undefined) {
      status = unwrap(await agentStubById(rt.env, owner).watchTask(tenantId, dependency, self))
    } else {
      throw unknownDependency(dependency)
    }
    if (status === 'failed' || status === 'cancelled') throw refuseFailedDependency(dependency, status)
    known.set(dependency, status)
  }
  return known
}

function unknownDependency(dependency: string): FabricError {
  return new FabricError('VALIDATION_ERROR', `dependsOn names ${dependency}, which is not a task of this tenant`, { dependency })
}

/** Writes the dependency rows of a new task; returns how many are not yet completed. Inside the insert's transaction. */
export function recordDependencies(rt: AgentRuntime, taskId: string, known: ReadonlyMap<string, TaskStatus>): number {
  // Every check before any write: a refusal leaves no row behind (a batch refuses one task and goes on).
  const finals = [...known].map(([dependency, status]) => {
    // A report from another agent may have arrived while this task was being admitted.
    const reported = rt.sql
      .exec<{ status: TaskStatus }>('SELECT status FROM dependency_outcomes WHERE depends_on = ?', dependency)
      .toArray()[0]?.status
    const current = reported ?? status
    if (current === 'failed' || current === 'cancelled') throw refuseFailedDependency(dependency, current)
    return [dependency, isFinal(current) ? current : null] as const
  })
  for (const [dependency, final] of finals) {
    rt.sql.exec('INSERT INTO task_dependencies (task_id, depends_on, status) VALUES (?, ?, ?)', taskId, dependency, final)
    if (final === null) rt.dependents = true
  }
  return finals.filter(([, final]) => final !== 'completed').length
}

/** Another agent reports that a task this agent waits for ended. */
export function applyDependencyOutcome(rt: AgentRuntime, dependency: string, status: TaskStatus): void {
  rt.atomically(() => {
    rt.sql.exec(
      'INSERT INTO dependency_outcomes (depends_on, status, at) VALUES (?, ?, ?) ON CONFLICT(depends_on) DO NOTHING',
      dependency,
      status,
      rt.clock.now(),
    )
    resolveLocalDependents(rt, dependency, status)
  })
}

/** Registers another agent's interest in one of this agent's tasks; returns the task's status now. */
export function addWatcher(rt: AgentRuntime, taskId: string, watcher: string): TaskStatus | undefined {
  const row = rt.queue.get(taskId)
  if (!row) return undefined
  if (!isFinal(row.status)) {
    rt.sql.exec('INSERT INTO dependency_watchers (task_id, watcher) VALUES (?, ?) ON CONFLICT DO NOTHING', taskId, watcher)
    rt.watched = true
  }
  return row.status
}

/**
 * Whether some finished task still has a watcher to tell (the alarm keeps retrying until none). Asked at
 * every kick: CROSS JOIN makes SQLite walk the (usually empty) watchers and look each task up by id; a plain
 * JOIN let it walk every finished task by status instead, a cost that grew with the agent's age.
 */
export function hasUndeliveredOutcomes(rt: AgentRuntime): boolean {
  rt.watched ??= rt.sql.exec<{ watched: number }>('SELECT EXISTS (SELECT 1 FROM dependency_watchers) AS watched').one().watched === 1
  if (!rt.watched) return false
  return (
    rt.sql
      .exec<{ n: number }>(
        `SELECT COUNT(*) AS n FROM dependency_watchers w CROSS JOIN tasks t ON t.id = w.task_id
         WHERE t.status IN ('completed', 'failed', 'cancelled')`,
      )
      .one().n > 0
  )
}

/** Tells waiting agents about finished tasks; a delivered notification removes its watcher row. */
export async function deliverOutcomes(rt: AgentRuntime, tenantId: string): Promise<void> {
  const pending = rt.sql
    .exec<{ task_id: string; watcher: string; status: TaskStatus }>(
      `SELECT w.task_id, w.watcher, t.status FROM dependency_watchers w CROSS JOIN tasks t ON t.id = w.task_id
       WHERE t.status IN ('completed', 'failed', 'cancelled')`,
    )
    .toArray()
  for (const { task_id: taskId, watcher, status } of pending) {
    try {
      await agentStubById(rt.env, watcher).dependencyFinished(tenantId, taskId, status)
      rt.sql.exec('DELETE FROM dependency_watchers WHERE task_id = ? AND watcher = ?', taskId, watcher)
    } catch (error) {
      rt.log.warn('dependency notification failed; the alarm retries it', { taskId, error: String(error) })
    }
  }
  // Delivered rows are gone: the next check asks whether any watcher is left.
  rt.watched = undefined
}
