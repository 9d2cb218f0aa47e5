/**
 * The execution context: who asked, for which tenant and agent, under which
 * ids and trace. Built once where a request enters (HTTP or RPC) and frozen,
 * so every later stage (policy, WAL, scheduling, tiers) sees the same facts.
 */
import { newId } from './ids'
import { childSpan, type TraceContext } from './trace'

export interface ExecutionContext {
  readonly executionId: string
  readonly tenantId: string
  readonly agentId?: string
  readonly sessionId?: string
  /** Id of the credential that authenticated the caller (never its value). */
  readonly principal: string
  readonly trace: TraceContext
  readonly receivedAt: string
}

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
