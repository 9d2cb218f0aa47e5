/**
 * The write-ahead log's first home: an outbox table in the owning Durable
 * Object's SQLite. `appendToOutbox` is synchronous, so it runs inside the
 * caller's transaction (the same implicit or `transactionSync` transaction as
 * the task enqueue): the event and the queued task become durable together or
 * not at all. Sequence numbers are per execution, kept in `wal_sequences`.
 *
 * Invariant: every execution id is appended to by exactly one Durable Object
 * (the one that owns it), so its sequence is gap-free and totally ordered.
 */
import type { WalEvent } from '../../types/fabric'
import type { WalEventInput } from '../core/ports'
import type { Migration } from '../core/storage-migrations'
import { insertJsonRows, jsonChunks } from '../core/json-chunks'
import { redact } from '../telemetry/redact'
import { WAL_COLUMNS, walColumnValues, type WalRow } from './wal-row'

/**
 * The outbox tables, as a migration every Durable Object that writes the WAL includes in its list.
 * `IF NOT EXISTS`: objects made before storage versioning created these tables on their own.
 */
export const WAL_OUTBOX_MIGRATION: Migration = [
  `CREATE TABLE IF NOT EXISTS wal_outbox (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    execution_id         TEXT NOT NULL,
    seq                  INTEGER NOT NULL,
    type                 TEXT NOT NULL,
    tenant_id            TEXT NOT NULL,
    agent_id             TEXT,
    session_id           TEXT,
    parent_execution_id  TEXT,
    correlation_id       TEXT,
    intent_type          TEXT,
    trace_id             TEXT NOT NULL,
    tier                 INTEGER,
    data                 TEXT NOT NULL,
    at                   TEXT NOT NULL,
    UNIQUE (execution_id, seq)
  )`,
  `CREATE TABLE IF NOT EXISTS wal_sequences (
    execution_id  TEXT PRIMARY KEY,
    last_seq      INTEGER NOT NULL,
    intent_type   TEXT
  )`,
]

/** An outbox row: the WAL row shape shared with D1. */
export type OutboxRow = WalRow

/**
 * Reserves `count` sequence numbers for each execution in one statement:
 * answers, per execution, the first one reserved and its intent type.
 */
function reserveSequences(sql: SqlStorage, wanted: Map<string, { count: number; intentType: string | undefined }>): Map<string, { first: number; intentType?: string }> {
  // `WHERE true` tells SQLite's parser the ON CONFLICT belongs to the INSERT, not to a join.
  const upsert = `INSERT INTO wal_sequences (execution_id, last_seq, intent_type)
    SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?) WHERE true
    ON CONFLICT(execution_id) DO UPDATE SET last_seq = last_seq + excluded.last_seq, intent_type = COALESCE(intent_type, excluded.intent_type)
    RETURNING execution_id, last_seq, intent_type`
  const rows = jsonChunks([...wanted].map(([executionId, { count, intentType }]) => [executionId, count, intentType ?? null])).flatMap((chunk) =>
    sql.exec<{ execution_id: string; last_seq: number; intent_type: string | null }>(upsert, chunk).toArray(),
  )
  const reserved = new Map<string, { first: number; intentType?: string }>()
  for (const row of rows) {
    const count = wanted.get(row.execution_id)?.count ?? 1
    reserved.set(row.execution_id, { first: row.last_seq - count + 1, ...(row.intent_type ? { intentType: row.intent_type } : {}) })
  }
  return reserved
}

/**
 * Appends events in order, in two statements whatever their number (their
 * sequences reserved together, their rows inserted together), so a batch of
 * tasks writes its WAL without a statement per event.
 */
export function appendManyToOutbox(sql: SqlStorage, inputs: readonly WalEventInput[]): WalEvent[] {
  if (inputs.length === 0) return []
  const wanted = new Map<string, { count: number; intentType: string | undefined }>()
  for (const input of inputs) {
    const entry = wanted.get(input.executionId)
    if (entry) entry.count += 1
    else wanted.set(input.executionId, { count: 1, intentType: input.intentType })
  }
  const reserved = reserveSequences(sql, wanted)
  const next = new Map<string, number>()
  const at = new Date().toISOString()
  const events = inputs.map((input): WalEvent => {
    const { first, intentType } = reserved.get(input.executionId) ?? { first: 1 }
    const seq = next.get(input.executionId) ?? first
    next.set(input.executionId, seq + 1)
    return {
      executionId: input.executionId,
      seq,
      type: input.type,
      tenantId: input.tenantId,
      traceId: input.traceId,
      data: redact(input.data),
      at,
      ...(input.agentId ? { agentId: input.agentId } : {}),
      ...(input.sessionId ? { sessionId: input.sessionId } : {}),
      ...(input.parentExecutionId ? { parentExecutionId: input.parentExecutionId } : {}),
      ...(input.correlationId ? { correlationId: input.correlationId } : {}),
      ...(intentType ? { intentType } : {}),
      ...(input.tier ? { tier: input.tier } : {}),
    }
  })
  insertJsonRows(sql, 'wal_outbox', WAL_COLUMNS, events.map(walColumnValues))
  return events
}

export function appendToOutbox(sql: SqlStorage, input: WalEventInput): WalEvent {
  const [event] = appendManyToOutbox(sql, [input])
  if (!event) throw new Error('the outbox appended no event')
  return event
}

/** The oldest rows first: delivery order is append order. */
export function readOutbox(sql: SqlStorage, limit: number): OutboxRow[] {
  return sql.exec<OutboxRow>('SELECT * FROM wal_outbox ORDER BY id LIMIT ?', limit).toArray()
}

export function deleteDelivered(sql: SqlStorage, throughId: number): void {
  sql.exec('DELETE FROM wal_outbox WHERE id <= ?', throughId)
}

export function pendingCount(sql: SqlStorage): number {
  return sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM wal_outbox').one().n
}
