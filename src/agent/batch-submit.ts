/**
 * Batch submit (POST /v1/agents/:id/tasks with an array, and the RPC
 * session's submitTasks): up to MAX_BATCH_TASKS tasks to one agent in one
 * call, admitted in one pass. What does not depend on the task is read once
 * (the tenant's ceilings, the policy set and the kill switch come from the
 * agent's pushed state; the route plan of each distinct request and the
 * budget verdict of each distinct estimate once per batch: admission.ts),
 * then each item is prepared exactly as if it came alone, in the array's
 * order — validation, kill switch, policy decision and audit, budget,
 * idempotency key — and every item that passed is written in ONE transaction
 * (accept.ts: bulk inserts). One item's failure (invalid, denied, over
 * budget, queue full …) is that item's result and does not stop the others.
 *
 * A kill switch pushed while the batch is being prepared (during one of its
 * awaits) makes every later item's decision read the new state, so those
 * items fail KILL_SWITCH; items prepared before it are queued on an agent the
 * switch suspended, so none of them starts (dispatch runs only RUNNING agents).
 */
import { z } from 'zod'
import type { TaskHandle } from '../../types/fabric'
import { FabricError } from '../../types/errors'
import { admissionReads, prepareTask, withApproval, type Admission, type Admitted, type Caller, type PreparedTask } from './admission'
import { acceptTasks } from './accept'
import type { AgentRecord } from './agent-store'
import { capture, type RpcResult } from './rpc-result'
import type { AgentRuntime } from './runtime'
import { TaskInputSchema, type TaskInput } from './task-input'

export const MAX_BATCH_TASKS = 1000

/** The batch itself: its items are checked one by one, so one bad item fails only itself. */
export const TaskBatchSchema = z.array(z.unknown()).min(1).max(MAX_BATCH_TASKS)

function taskInputOf(item: unknown, index: number): TaskInput {
  const parsed = TaskInputSchema.safeParse(item)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : ''
  throw new FabricError('VALIDATION_ERROR', `task ${index} is not a valid task${where}: ${issue?.message ?? 'invalid'}`, { index })
}

/** An unexpected failure (R2 down while spilling, say) is that item's result, with a code, like any refusal. */
function itemError(thrown: unknown, index: number): Error {
  if (thrown instanceof FabricError) return thrown
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  return new FabricError('INTERNAL', `task ${index} could not be admitted (${message}); submit it again`, { index })
}

/** One item of admitEach: who asks and what, or why it was refused before admission. */
export type AdmissionEntry = { caller: Caller; admission: Admission } | Error

/**
 * Admits every entry in one pass: what does not depend on the task is read once, each item is prepared in
 * order exactly as if it came alone, and every item that passed is written in one transaction. `dispatch`
 * runs inside that transaction, as in admitTask: the first slot-full starts with the write. One result per
 * entry, in order: the admitted task, or why that item was refused.
 */
export async function admitEach(rt: AgentRuntime, record: AgentRecord, entries: readonly AdmissionEntry[], dispatch?: () => void): Promise<Array<Admitted | Error>> {
  const reads = await admissionReads(rt)
  const outcomes: Array<PreparedTask | Admitted | Error> = []
  for (const [index, entry] of entries.entries()) {
    if (entry instanceof Error) {
      outcomes.push(entry)
      continue
    }
    try {
      outcomes.push(await prepareTask(rt, record, entry.caller, entry.admission, reads))
    } catch (thrown) {
      outcomes.push(itemError(thrown, index))
    }
  }
  const prepared = outcomes.filter((outcome): outcome is PreparedTask => !(outcome instanceof Error) && !('row' in outcome))
  const written = rt.atomically(() => {
    const results = acceptTasks(rt, prepared)
    dispatch?.()
    return results
  })
  const accepted = new Map(written.map((admitted, i) => [prepared[i], admitted]))
  const results: Array<Admitted | Error> = []
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome instanceof Error || 'row' in outcome) {
      results.push(outcome)
      continue
    }
    const admitted = accepted.get(outcome) ?? new FabricError('INTERNAL', 'a prepared task has no acceptance; submit it again')
    try {
      results.push(admitted instanceof Error ? admitted : await withApproval(rt, outcome, admitted))
    } catch (thrown) {
      results.push(itemError(thrown, index))
    }
  }
  return results
}

/** Batch submit: each item validated, then admitted by admitEach; one handle or error per item. */
export async function admitBatch(rt: AgentRuntime, record: AgentRecord, caller: Caller, items: unknown, dispatch?: () => void): Promise<Array<RpcResult<TaskHandle>>> {
  const parsed = TaskBatchSchema.safeParse(items)
  if (!parsed.success) throw new FabricError('VALIDATION_ERROR', `a batch is an array of 1 to ${MAX_BATCH_TASKS} tasks`, { maxTasks: MAX_BATCH_TASKS })
  const entries = parsed.data.map((item, index): AdmissionEntry => {
    try {
      return { caller, admission: { kind: 'task', input: taskInputOf(item, index) } }
    } catch (thrown) {
      return itemError(thrown, index)
    }
  })
  const admitted = await admitEach(rt, record, entries, dispatch)
  return Promise.all(
    admitted.map((outcome) =>
      capture(() => {
        if (outcome instanceof Error) throw outcome
        return { taskId: outcome.row.id, agentId: record.agentId, status: outcome.row.status, deduplicated: outcome.deduplicated }
      }),
    ),
  )
}
