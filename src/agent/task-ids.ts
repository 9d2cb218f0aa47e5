/**
 * Task ids carry the id of the agent's Durable Object, so any task id routes
 * to the one object that owns it without a lookup table:
 *   tsk_<64 hex: Durable Object id>_<24 hex: random>
 * and so do the execution ids an agent makes (exe_<64 hex>_<24 hex>): a WAL
 * reader finds the object whose outbox may still hold the execution's events.
 * The object still checks the caller's tenant, so a guessed id of another
 * tenant's task is a 404.
 */
import { z } from '@hono/zod-openapi'
import { randomHex } from '../core/hex'

const TASK_ID = /^tsk_([0-9a-f]{64})_([0-9a-f]{24})$/
const EXECUTION_ID = /^exe_([0-9a-f]{64})_([0-9a-f]{24})$/

export const TaskIdSchema = z
  .string()
  .regex(TASK_ID, 'a task id looks like tsk_<64 hex>_<24 hex>, as returned when the task was queued')


export function newTaskId(agentObjectId: string): string {
  return `tsk_${agentObjectId}_${randomHex(12)}`
}

export function newExecutionId(agentObjectId: string): string {
  return `exe_${agentObjectId}_${randomHex(12)}`
}

/** The hex Durable Object id of the agent that made an execution id, or undefined for any other id. */
export function agentObjectIdOfExecution(executionId: string): string | undefined {
  return EXECUTION_ID.exec(executionId)?.[1]
}

/** The hex Durable Object id a task id routes to, or undefined when it is not a task id. */
export function agentObjectIdOf(taskId: string): string | undefined {
  return TASK_ID.exec(taskId)?.[1]
}
