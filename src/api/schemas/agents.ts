/**
 * OpenAPI shapes of what the agent, task and budget routes return. The
 * objects come from the agent's Durable Object (already typed there); these
 * schemas document them and name their main fields.
 */
import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { AGENT_STATES } from '../../../types/fabric'
import type { Caller } from '../../agent/admission'
import type { RpcResult } from '../../agent/rpc-result'
import type { TaskHandle } from '../../../types/fabric'
import { ErrorSchema } from '../openapi'
import type { AppEnv } from '../app-env'

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } })

export const QUEUE_ERROR_RESPONSES = {
  424: errorResponse('A dependency already failed'),
  429: errorResponse('Queue full (QUEUE_FULL) or budget exhausted (BUDGET_EXCEEDED)'),
} as const

export const HealthSchema = z
  .object({
    status: z.enum(['healthy', 'degraded', 'unhealthy', 'unmonitored', 'stopped']),
    lastHeartbeatAt: z.string(),
    missedHeartbeats: z.number().int(),
    heartbeatIntervalSeconds: z.number(),
    heartbeatMissLimit: z.number().int(),
  })
  .openapi('AgentHealth')

export const AgentInfoSchema = z
  .object({
    id: z.string(),
    state: z.enum(AGENT_STATES),
    stateReason: z.string(),
    sessionId: z.string(),
    health: HealthSchema,
    config: z.record(z.string(), z.unknown()),
    queue: z.object({ depth: z.number().int(), running: z.number().int(), byStatus: z.record(z.string(), z.number()) }),
    draining: z.object({ outcome: z.string(), deadline: z.string() }).optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    history: z.array(
      z.object({ seq: z.number(), sessionId: z.string(), from: z.string().nullable(), to: z.string(), reason: z.string(), at: z.string() }),
    ),
  })
  .openapi('Agent')

export const DirectoryEntrySchema = z
  .object({
    id: z.string(),
    type: z.string(),
    model: z.string(),
    userId: z.string().optional(),
    state: z.string(),
    sessionId: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('AgentListEntry')

export const TaskHandleSchema = z
  .object({ taskId: z.string(), agentId: z.string(), status: z.string(), deduplicated: z.boolean() })
  .openapi('TaskHandle')

/** One item of a batch submit: its handle, or its own error (the other items are not affected). */
export const BatchResultsSchema = z
  .object({
    results: z.array(
      z.union([
        z.object({ ok: z.literal(true), task: TaskHandleSchema }),
        z.object({ ok: z.literal(false), error: ErrorSchema.shape.error }),
      ]),
    ),
  })
  .openapi('TaskBatchResults')

export type BatchItemView = z.infer<typeof BatchResultsSchema>['results'][number]

export function batchItemView(result: RpcResult<TaskHandle>): BatchItemView {
  if (result.ok) return { ok: true, task: result.value }
  const { code, message, detailsJson } = result.error
  return { ok: false, error: { code, message, ...(detailsJson ? { details: JSON.parse(detailsJson) as Record<string, unknown> } : {}) } }
}

export const TaskViewSchema = z
  .object({
    id: z.string(),
    agentId: z.string(),
    type: z.string(),
    status: z.string(),
    priority: z.string(),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    dependsOn: z.array(z.string()),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    nextAttemptAt: z.string().optional(),
    result: z.record(z.string(), z.unknown()).optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    spilledInputs: z
      .record(z.string(), z.object({ ref: z.string(), bytes: z.number().int() }))
      .optional()
      .openapi({ description: 'stdin, args or env too big for the task row: stored in R2, named by these data references' }),
  })
  .passthrough()
  .openapi('Task')

export const UsageReportSchema = z
  .object({
    entity: z.string(),
    period: z.string(),
    periodEndsAt: z.string(),
    used: z.object({ tokens: z.number(), computeSeconds: z.number(), costUsd: z.number() }),
    allowance: z.record(z.string(), z.number()),
    ratio: z.record(z.string(), z.number()),
    projection: z.object({
      endOfPeriod: z.record(z.string(), z.number()),
      exceeds: z.array(z.string()),
      exhaustedAt: z.record(z.string(), z.string()),
    }),
    byTier: z
      .record(z.string(), z.object({ attempts: z.number().int(), computeSeconds: z.number(), costUsd: z.number() }))
      .optional()
      .openapi({ description: "An agent's report: today's attempts, compute seconds and their cost by the tier cost model, per tier (\"0\": attempts that ended without a result)" }),
  })
  .passthrough()
  .openapi('UsageReport')

/** Who is calling, as the agent's Durable Object needs it. */
export function callerOf(c: Context<AppEnv>): Caller {
  const auth = c.get('auth')
  return { tenantId: auth.tenantId, principal: auth.tokenId, traceparent: c.get('trace').traceparent }
}
