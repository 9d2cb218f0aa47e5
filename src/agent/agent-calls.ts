/** Zod schemas for the agent's call arguments that are not spawn configs or tasks. */
import { z } from '@hono/zod-openapi'
import type { TaskStatus } from '../../types/fabric'
import { FabricError } from '../../types/errors'
import { ExecRequestSchema, type ExecRequest } from '../core/exec-request'
import type { Caller } from './admission'
import { BudgetConfigSchema, DEFAULT_AGENT_ID } from './config'

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

const ExecBatchSchema = z
  .array(z.object({ caller: CallerShape, request: ExecRequestSchema }).strict())
  .min(1)
  .max(MAX_EXEC_BATCH)

interface BatchedExec {
  caller: Caller
  request: ExecRequest
}

export interface ExecBatch {
  agentId: string
  execs: [BatchedExec, ...BatchedExec[]]
}

/**
 * An `execBatch` call's items: 1 to MAX_EXEC_BATCH valid execs of `tenantId`, all for one agent. The Worker
 * validated each already, so anything else is a caller's bug and the batch is refused whole.
 */
export function parseExecBatch(tenantId: string, items: unknown): ExecBatch {
  const parsed = ExecBatchSchema.safeParse(items)
  const execs = parsed.success ? parsed.data : []
  const agentIds = new Set(execs.map(({ request }) => request.agentId ?? DEFAULT_AGENT_ID))
  const [agentId] = agentIds
  const [first, ...rest] = execs
  if (!first || agentId === undefined || agentIds.size !== 1 || execs.some(({ caller }) => caller.tenantId !== tenantId)) {
    throw new FabricError('VALIDATION_ERROR', `an exec batch is 1 to ${MAX_EXEC_BATCH} valid execs of one tenant's agent`)
  }
  return { agentId, execs: [first, ...rest] }
}

export const AgentCallSchemas = {
  terminate: TerminateOptionsSchema,
  taskList: TaskListQuerySchema,
  usage: UsageInputSchema,
  budget: BudgetConfigSchema,
}
