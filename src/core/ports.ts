/**
 * The ports of the governed path: what the agent Durable Object (src/agent)
 * needs from governance (src/governance) and the write-ahead log (src/wal).
 * The DO drives the order — kill switch, policy, budget, idempotency, WAL,
 * queue, dispatch, record — and these interfaces keep the two sides apart.
 */
import type { PolicyDecision, WalEvent, WalEventType } from '../../types/fabric'
import type { ExecutionTier } from '../../types/execution'
import type { ExecutionContext } from './context'

export type GovernedKind = 'exec' | 'task' | 'intent' | 'saga_step' | 'grant'

export interface GovernedRequest {
  ctx: ExecutionContext
  kind: GovernedKind
  /** Policy action strings this execution needs: exec:<op>, fs:read:<path>, fs:write:<path>, net:<url>, intent:<type>, tier:<n>. */
  actions: string[]
  /** Inputs for audit and the WAL; redacted before anything stores them. */
  summary: Record<string, unknown>
  /** Where the caller sits for policy inheritance (tenant → workspace → agent; roles apply at agent level). */
  subject?: { workspaceId?: string; roles?: string[]; policyIds?: string[] }
}

export interface ApprovalTicket {
  approvalId: string
  expiresAt: string
}

export interface Governance {
  /** Throws FabricError('KILL_SWITCH') when a global, tenant or agent switch is active. */
  assertNotKilled(scope: { tenantId: string; agentId?: string }): Promise<void>
  /**
   * Evaluated once at acceptance, audited and counted; the caller freezes the decision into the execution.
   * Throws FabricError('KILL_SWITCH') first, like assertNotKilled, when a switch covers the context's tenant or agent.
   */
  decide(request: GovernedRequest): Promise<PolicyDecision>
  /** Governance pushed a change (a kill switch, a policy): forget any state read before it, so the next decision reads it again. */
  stateChanged(): void
  /**
   * Records a pending approval for a require_approval decision; the approval route later resumes the task on its agent.
   * `requestedAt` (epoch ms) is the agent's clock, so the expiry it gets back is on the clock its alarm reads.
   */
  requestApproval(
    request: GovernedRequest,
    decision: PolicyDecision,
    task: { agentId: string; taskId: string; requestedAt?: number },
  ): Promise<ApprovalTicket>
  /** Marks the tenant's approvals still pending at `at` (epoch ms) and past their expiry `expired`. */
  expireApprovals(tenantId: string, at: number): Promise<void>
}

export interface WalEventInput {
  executionId: string
  type: WalEventType
  tenantId: string
  traceId: string
  agentId?: string
  sessionId?: string
  parentExecutionId?: string
  correlationId?: string
  /** `{realm}.{action}` of the intent this execution serves; later events of the execution inherit it. */
  intentType?: string
  tier?: ExecutionTier
  data: Record<string, unknown>
}

export interface WriteAheadLog {
  /** Durable at once: written into the Durable Object's SQLite outbox, in the caller's transaction. Assigns the per-execution seq. */
  append(event: WalEventInput): WalEvent
  /** `append` for many events at once, in order, in a fixed number of statements (a batch of tasks). */
  appendMany(events: readonly WalEventInput[]): WalEvent[]
  /** Moves outbox rows to D1 in order, exactly once (idempotent on executionId+seq). Returns how many rows reached D1. */
  flush(): Promise<number>
}
