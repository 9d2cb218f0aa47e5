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

/** The columns an event writes, in one order for both INSERTs (outbox and D1); `id` is each table's own. */
export const WAL_COLUMNS = [
  'execution_id', 'seq', 'type', 'tenant_id', 'agent_id', 'session_id', 'parent_execution_id', 'correlation_id',
  'intent_type', 'trace_id', 'tier', 'data', 'at',
] as const satisfies readonly (keyof WalRow)[]

/** An event's values in WAL_COLUMNS order. */
export function walColumnValues(event: WalEvent): SqlStorageValue[] {
  return [
    event.executionId,
    event.seq,
    event.type,
    event.tenantId,
    event.agentId ?? null,
    event.sessionId ?? null,
    event.parentExecutionId ?? null,
    event.correlationId ?? null,
    event.intentType ?? null,
    event.traceId,
    event.tier ?? null,
    JSON.stringify(event.data),
    event.at,
  ]
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
