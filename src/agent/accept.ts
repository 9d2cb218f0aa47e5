/**
 * Steps 5 and 6 of admission (admission.ts) for any number of prepared
 * tasks: each is checked as if it came alone and in order — its idempotency
 * key against the queue and the tasks before it, the agent's state, the
 * queue's depth — and then every accepted task is written ahead together:
 * the rows in one insert, their WAL events in one append, their stream
 * events in one insert. Call inside `rt.atomically`: all of it commits
 * together or not at all. A refused task is its own result (an Error) and
 * does not stop the rest.
 */
import type { TaskStatus, WalEventType } from '../../types/fabric'
import { FabricError } from '../../types/errors'
import { openingEvents, originLinks } from '../core/origin'
import type { WalEventInput } from '../core/ports'
import { freezeDecision } from '../governance/fs-policy'
import { routeRecord } from '../execution/route-plan/index'
import type { Admitted, PreparedTask } from './admission'
import { recordDependencies } from './dependencies'
import { assertAcceptsWork } from './lifecycle'
import type { NewTask } from './queue'
import type { AgentRuntime } from './runtime'
import type { AgentEventType } from './stream'
import { newTaskId } from './task-ids'
import { priorityRank, type TaskRow } from './task-record'

/** An accepted task before its row exists: the earlier task it repeats, or the new row to write. */
type Slot = { earlier: TaskRow } | { repeats: number } | { task: NewTask; prepared: PreparedTask }

export function acceptTasks(rt: AgentRuntime, batch: readonly PreparedTask[]): Array<Admitted | Error> {
  const current = rt.store.require()
  const keyed = earlierByKey(rt, batch)
  /** Idempotency keys of tasks accepted earlier in this call, by their index among the new rows. */
  const newKeys = new Map<string, number>()
  const fresh: Array<{ task: NewTask; prepared: PreparedTask }> = []
  // Counted only when the held bound could reach the limit: with it below, no task of the batch can be refused for depth.
  let waiting = rt.queue.waitingAtMost()
  if (waiting + batch.length > current.config.maxQueueDepth) waiting = rt.queue.waitingCount()
  const slots = batch.map((prepared): Slot | Error => {
    const key = prepared.input.idempotencyKey
    const earlier = key !== undefined ? keyed.get(key) : undefined
    if (earlier) return { earlier }
    const repeats = key !== undefined ? newKeys.get(key) : undefined
    if (repeats !== undefined) return { repeats }
    try {
      assertAcceptsWork(current)
      if (waiting >= current.config.maxQueueDepth) {
        throw new FabricError('QUEUE_FULL', `agent ${current.agentId} already has ${current.config.maxQueueDepth} queued tasks; retry later`, {
          maxQueueDepth: current.config.maxQueueDepth,
        })
      }
      const id = newTaskId(rt.ctx.id.toString())
      const unmet = recordDependencies(rt, id, prepared.dependencies)
      const status: TaskStatus = prepared.decision.effect === 'require_approval' ? 'awaiting_approval' : unmet > 0 ? 'blocked' : 'pending'
      const slot = { task: newTask(rt, prepared, id, status), prepared }
      waiting += 1
      if (key !== undefined) newKeys.set(key, fresh.length)
      fresh.push(slot)
      return slot
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error))
    }
  })
  const rows = rt.queue.insertMany(fresh.map((slot) => slot.task))
  writeAhead(rt, fresh, rows)
  return slots.map((slot): Admitted | Error => {
    if (slot instanceof Error) return slot
    if ('earlier' in slot) return { row: slot.earlier, deduplicated: true }
    const row = rows[('repeats' in slot ? slot.repeats : fresh.indexOf(slot))]
    if (!row) return new Error('an accepted task was not written')
    return { row, deduplicated: 'repeats' in slot }
  })
}

/** Tasks already queued under the idempotency keys the batch uses, in one query. */
function earlierByKey(rt: AgentRuntime, batch: readonly PreparedTask[]): Map<string, TaskRow> {
  const keys = [...new Set(batch.flatMap((prepared) => (prepared.input.idempotencyKey !== undefined ? [prepared.input.idempotencyKey] : [])))]
  if (keys.length === 0) return new Map()
  return new Map(rt.queue.byIdempotencyKeys(keys).map((row) => [row.idempotency_key ?? '', row]))
}

function newTask(rt: AgentRuntime, prepared: PreparedTask, id: string, status: TaskStatus): NewTask {
  const { input, ctx } = prepared
  const links = { ...(input.intentId ? { correlationId: input.intentId } : {}), ...originLinks(prepared.origin) }
  return {
    id,
    execution_id: ctx.executionId,
    type: input.type ?? input.operation ?? 'command',
    request: JSON.stringify(prepared.request),
    payload: JSON.stringify(input.payload ?? {}),
    metadata: JSON.stringify(input.metadata ?? {}),
    priority: priorityRank(input.priority),
    status,
    depends_on: JSON.stringify(input.dependsOn),
    timeout_ms: prepared.timeoutMs,
    deadline_at: prepared.deadlineAt ?? null,
    retry: input.retry ? JSON.stringify(input.retry) : null,
    idempotency_key: input.idempotencyKey ?? null,
    intent_id: input.intentId ?? null,
    context: JSON.stringify(ctx),
    decision: JSON.stringify(freezeDecision(prepared.decision, prepared.governed)),
    route: prepared.plan ? JSON.stringify(routeRecord(prepared.plan)) : null,
    wal_links: JSON.stringify(links satisfies Partial<WalEventInput>),
    created_at: rt.clock.now(),
  }
}

const QUEUED_EVENT: Record<string, AgentEventType> = { pending: 'task.queued', blocked: 'task.blocked', awaiting_approval: 'task.awaiting_approval' }

/** Each new task's WAL events (its opening events, its decision, its scheduling) and its stream event, in task order. */
function writeAhead(rt: AgentRuntime, fresh: ReadonlyArray<{ prepared: PreparedTask }>, rows: readonly TaskRow[]): void {
  const wal: Array<{ row: TaskRow; type: WalEventType; data: Record<string, unknown>; emit?: AgentEventType }> = []
  fresh.forEach(({ prepared }, i) => {
    const row = rows[i]
    if (!row) return
    const { decision, input } = prepared
    const facts = { taskId: row.id, type: row.type, priority: input.priority, status: row.status, dependsOn: input.dependsOn }
    for (const opening of openingEvents(prepared.origin)) wal.push({ row, ...opening })
    wal.push({ row, type: 'policy.decided', data: { taskId: row.id, decisionId: decision.decisionId, effect: decision.effect } })
    wal.push({ row, type: 'task.scheduled', data: facts, emit: QUEUED_EVENT[row.status] ?? 'task.queued' })
  })
  rt.walForTasks(wal)
}
