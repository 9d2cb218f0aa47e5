/**
 * Task ids carry the id of the agent's Durable Object, so any task id routes
 * to the one object that owns it without a lookup table:
 *   tsk_<64 hex: Durable Object id>_<24 hex: random>
 * The object still checks the caller's tenant, so a guessed id of another
 * tenant's task is a 404.
 */
import { z } from '@hono/zod-openapi'

const TASK_ID = /^tsk_([0-9a-f]{64})_([0-9a-f]{24})$/

export const TaskIdSchema = z
  .string()
  .regex(TASK_ID, 'a task id looks like tsk_<64 hex>_<24 hex>, as returned when the task was queued')

export function newTaskId(agentObjectId: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  let hex = ''
  for (const b of bytes) hex += b.toString(16).padStart(2, '0')
  return `tsk_${agentObjectId}_${hex}`
}

/** The hex Durable Object id a task id routes to, or undefined when it is not a task id. */
export function agentObjectIdOf(taskId: string): string | undefined {
  return TASK_ID.exec(taskId)?.[1]
}
