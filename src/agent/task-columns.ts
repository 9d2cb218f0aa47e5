/**
 * The JSON columns of a task row, parsed with zod when they are read back:
 * a row written by an older version, or damaged, fails loudly (INTERNAL,
 * naming the column and the task) instead of flowing on as a wrong type.
 */
import { z } from 'zod'
import type { ExecResult, RouteRecord } from '../../types/execution'
import { ERROR_CODES, FabricError, type ErrorCode } from '../../types/errors'
import type { PolicyRule } from '../../types/fabric'
import { ExecutionContextSchema } from '../core/context'
import { ExecWorkSchema } from '../core/exec-request'
import { RetryPolicySchema } from '../core/retry-policy'
import type { FrozenDecision } from '../governance/fs-policy'

const CODES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]
const TIERS = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** An ExecResult as the agent stored it: the fields every result has are checked, the rest kept as they are. */
const StoredResultSchema: z.ZodType<ExecResult> = z
  .object({
    ok: z.boolean(),
    tier: TIERS,
    operation: z.string(),
    exitCode: z.number().int(),
    stdout: z.string(),
    stderr: z.string(),
    duration: z.number(),
    executionId: z.string(),
    traceId: z.string(),
    error: z.object({ code: z.enum(CODES), message: z.string(), retriable: z.boolean(), details: z.record(z.string(), z.unknown()).optional() }).optional(),
    fallbackFrom: z.array(TIERS).optional(),
  })
  .catchall(z.unknown())

const StoredDecisionSchema: z.ZodType<FrozenDecision> = z.object({
  decisionId: z.string(),
  effect: z.enum(['allow', 'deny', 'require_approval']),
  action: z.string(),
  matchedPolicyId: z.string().optional(),
  matchedRule: z.custom<PolicyRule>((value) => isRecord(value) && typeof value.actionPattern === 'string').optional(),
  reason: z.string(),
  decidedFor: z
    .object({
      kind: z.enum(['exec', 'task', 'intent', 'saga_step']),
      actions: z.array(z.string()),
      subject: z.object({ workspaceId: z.string().optional(), roles: z.array(z.string()).optional(), policyIds: z.array(z.string()).optional() }).optional(),
    })
    .optional(),
})

/** The WAL links every event of the task's execution carries (intent and saga). */
const WalLinksSchema = z.object({
  sessionId: z.string().optional(),
  parentExecutionId: z.string().optional(),
  correlationId: z.string().optional(),
  intentType: z.string().optional(),
})

/** The request a task runs on each attempt: the shared exec fields with the task's own start-to-close limit (up to 4 h, beyond /v1/exec's). */
const DataReferenceSchema = z.object({ ref: z.string(), bytes: z.number().int() })
/** …and, for fields too big for the row, their R2 data references (src/agent/spill.ts). */
const TaskRequestSchema = ExecWorkSchema.extend({
  timeoutMs: z.number().int().positive(),
  spilled: z.object({ stdin: DataReferenceSchema.optional(), args: DataReferenceSchema.optional(), env: DataReferenceSchema.optional() }).optional(),
})

/** The route plan admission made, as the outcome records it (RouteRecord). */
const StoredRouteSchema: z.ZodType<RouteRecord> = z.object({
  mode: z.enum(['per-stage', 'whole-line']),
  tier: TIERS,
  why: z.string(),
  stages: z.array(z.object({ operation: z.string(), tier: TIERS, why: z.string(), mayFallBackTo: z.array(TIERS), estimateUsd: z.number() })),
  estimateUsd: z.number(),
})

export const TASK_COLUMNS = {
  request: TaskRequestSchema,
  context: ExecutionContextSchema,
  wal_links: WalLinksSchema,
  decision: StoredDecisionSchema,
  route: StoredRouteSchema,
  retry: RetryPolicySchema,
  depends_on: z.array(z.string()),
  result: StoredResultSchema,
  error: z.object({ code: z.string(), message: z.string() }),
  payload: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.string()),
} as const

type TaskColumn = keyof typeof TASK_COLUMNS

/** Parses one JSON column of a task row with its schema. */
export function parseTaskColumn<C extends TaskColumn>(column: C, text: string, taskId: string): z.output<(typeof TASK_COLUMNS)[C]> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new FabricError('INTERNAL', `task ${taskId}: its stored ${column} is not JSON`, { taskId, column })
  }
  const parsed = TASK_COLUMNS[column].safeParse(json)
  if (!parsed.success) {
    throw new FabricError('INTERNAL', `task ${taskId}: its stored ${column} does not match its schema (${parsed.error.issues[0]?.message ?? 'invalid'})`, { taskId, column })
  }
  return parsed.data as z.output<(typeof TASK_COLUMNS)[C]>
}
