/**
 * The execution context: who asked, for which tenant and agent, under which
 * ids and trace. Built once where a request enters (HTTP or RPC) and frozen,
 * so every later stage (policy, WAL, scheduling, tiers) sees the same facts.
 */
import { z } from 'zod'
import { newId } from './ids'
import { childSpan, TraceContextSchema, type TraceContext } from './trace'

/** The context as it is stored with a task and read back (parsed, never cast). */
export const ExecutionContextSchema = z
  .object({
    executionId: z.string(),
    tenantId: z.string(),
    agentId: z.string().optional(),
    sessionId: z.string().optional(),
    /** Id of the credential that authenticated the caller (never its value). */
    principal: z.string(),
    trace: TraceContextSchema,
    receivedAt: z.string(),
  })
  .readonly()
export type ExecutionContext = z.output<typeof ExecutionContextSchema>

export interface ContextInput {
  tenantId: string
  principal: string
  trace: TraceContext
  agentId?: string
  sessionId?: string
  executionId?: string
}

export function createExecutionContext(input: ContextInput): ExecutionContext {
  return Object.freeze({
    executionId: input.executionId ?? newId('exe'),
    tenantId: input.tenantId,
    principal: input.principal,
    trace: childSpan(input.trace),
    receivedAt: new Date().toISOString(),
    ...(input.agentId ? { agentId: input.agentId } : {}),
    ...(input.sessionId ? { sessionId: input.sessionId } : {}),
  })
}
