/** Zod schemas for the agent's call arguments that are not spawn configs or tasks. */
import { z } from '@hono/zod-openapi'
import type { TaskStatus } from '../../types/fabric'
import { BudgetConfigSchema } from './config'

const TASK_STATUSES = ['pending', 'awaiting_approval', 'blocked', 'running', 'retry_wait', 'completed', 'failed', 'cancelled'] as const
export const TaskStatusSchema = z.enum(TASK_STATUSES satisfies readonly TaskStatus[])

export const TerminateOptionsSchema = z
  .object({
    graceful: z.boolean().default(true),
    drainTimeoutSeconds: z.number().min(0).max(3600).default(30),
    outcome: z.enum(['TERMINATED', 'COMPLETED']).default('TERMINATED'),
  })
  .strict()

export const TaskListQuerySchema = z
  .object({
    status: TaskStatusSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()
export type TaskListQuery = z.input<typeof TaskListQuerySchema>

export const UsageInputSchema = z
  .object({
    tokens: z.number().int().nonnegative().default(0),
    model: z.string().min(1).max(128).optional(),
    costUsd: z.number().nonnegative().default(0),
    computeSeconds: z.number().nonnegative().default(0),
  })
  .strict()
  .openapi('UsageInput')
export type UsageInput = z.input<typeof UsageInputSchema>

/** The most execs one `execBatch` call carries (src/agent/exec-coalescer.ts). */
export const MAX_EXEC_BATCH = 32

/** The caller is the Worker's own authenticated view of the request; only its shape is checked here. */
const CallerShape = z.object({ tenantId: z.string().min(1), principal: z.string().min(1), traceparent: z.string().optional() }).strict()

export const ExecBatchSchema = z
  .array(z.object({ caller: CallerShape, request: z.unknown() }).strict())
  .min(1)
  .max(MAX_EXEC_BATCH)

export const AgentCallSchemas = {
  terminate: TerminateOptionsSchema,
  taskList: TaskListQuerySchema,
  usage: UsageInputSchema,
  budget: BudgetConfigSchema,
}
