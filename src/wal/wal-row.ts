/**
 * The one shape of a WAL row, shared by the Durable Object outbox and D1's
 * `wal_events` (migrations/0003_governance.sql), and its mapping to a WalEvent.
 */
import type { ExecutionTier } from '../../types/execution'
import type { WalEvent, WalEventType } from '../../types/fabric'

/** A WAL row, column for column the same in the outbox (DO SQLite) and in D1's `wal_events`. */
export interface WalRow extends Record<string, SqlStorageValue> {
  id: number
  execution_id: string
  seq: number
  type: WalEventType
  tenant_id: string
  agent_id: string | null
  session_id: string | null
  parent_execution_id: string | null
  correlation_id: string | null
  intent_type: string | null
  trace_id: string
  tier: number | null
  data: string
  at: string
}

export function toWalEvent(row: WalRow): WalEvent {
  return {
    executionId: row.execution_id,
    seq: row.seq,
    type: row.type,
    tenantId: row.tenant_id,
    traceId: row.trace_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
    at: row.at,
    ...(row.agent_id ? { agentId: row.agent_id } : {}),
    ...(row.session_id ? { sessionId: row.session_id } : {}),
    ...(row.parent_execution_id ? { parentExecutionId: row.parent_execution_id } : {}),
    ...(row.correlation_id ? { correlationId: row.correlation_id } : {}),
    ...(row.intent_type ? { intentType: row.intent_type } : {}),
    ...(row.tier ? { tier: row.tier as ExecutionTier } : {}),
  }
}
