/**
 * Batch submit (POST /v1/agents/:id/tasks with an array, and the RPC
 * session's submitTasks): up to MAX_BATCH_TASKS tasks to one agent in one
 * call. Each item is validated and admitted exactly as if it came alone, in
 * the array's order; one item's failure (invalid, denied, queue full …) is
 * that item's result and does not stop the others.
 */
import { z } from 'zod'
import type { TaskHandle } from '../../types/fabric'
import { FabricError } from '../../types/errors'
import { capture, type RpcResult } from './rpc-result'
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

export async function submitBatch(items: unknown, admit: (input: TaskInput) => Promise<TaskHandle>): Promise<RpcResult<TaskHandle>[]> {
  const parsed = TaskBatchSchema.safeParse(items)
  if (!parsed.success) throw new FabricError('VALIDATION_ERROR', `a batch is an array of 1 to ${MAX_BATCH_TASKS} tasks`, { maxTasks: MAX_BATCH_TASKS })
  const results: RpcResult<TaskHandle>[] = []
  for (const [index, item] of parsed.data.entries()) results.push(await capture(() => admit(taskInputOf(item, index))))
  return results
}
