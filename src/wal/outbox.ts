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

/** Reserves `count` sequence numbers of an execution in one statement; answers the first. */
function reserveSequence(sql: SqlStorage, executionId: string, intentType: string | undefined, count: number): { first: number; intentType?: string } {
  const row = sql
    .exec<{ last_seq: number; intent_type: string | null }>(
      `INSERT INTO wal_sequences (execution_id, last_seq, intent_type) VALUES (?, ?, ?)
       ON CONFLICT(execution_id) DO UPDATE SET last_seq = last_seq + excluded.last_seq, intent_type = COALESCE(intent_type, excluded.intent_type)
       RETURNING last_seq, intent_type`,
      executionId,
      count,
      intentType ?? null,
    )
    .one()
  return { first: row.last_seq - count + 1, ...(row.intent_type ? { intentType: row.intent_type } : {}) }
}

/** Rows per INSERT: Durable Object SQLite binds at most 100 parameters per statement. */
const ROWS_PER_INSERT = Math.floor(100 / WAL_COLUMNS.length)

/**
 * Appends events of ONE execution, in order, with consecutive sequence numbers: one statement reserves
 * them and one multi-row INSERT writes up to ROWS_PER_INSERT events (a state change's events together).
 */
export function appendToOutbox(sql: SqlStorage, inputs: readonly WalEventInput[]): WalEvent[] {
  const [head] = inputs
  if (!head) return []
  if (inputs.some((input) => input.executionId !== head.executionId)) throw new Error('appendToOutbox takes the events of one execution')
  const { first, intentType } = reserveSequence(sql, head.executionId, inputs.find((input) => input.intentType)?.intentType, inputs.length)
  const events = inputs.map((input, i) => outboxEvent(input, first + i, intentType))
  for (let at = 0; at < events.length; at += ROWS_PER_INSERT) {
    const chunk = events.slice(at, at + ROWS_PER_INSERT)
    const row = `(${WAL_COLUMNS.map(() => '?').join(', ')})`
    sql.exec(`INSERT INTO wal_outbox (${WAL_COLUMNS.join(', ')}) VALUES ${chunk.map(() => row).join(', ')}`, ...chunk.flatMap(walColumnValues))
  }
  return events
}

function outboxEvent(input: WalEventInput, seq: number, intentType: string | undefined): WalEvent {
  return {
    executionId: input.executionId,
    seq,
    type: input.type,
    tenantId: input.tenantId,
    traceId: input.traceId,
    data: redact(input.data),
    at: new Date().toISOString(),
    ...(input.agentId ? { agentId: input.agentId } : {}),
    ...(input.sessionId ? { sessionId: input.sessionId } : {}),
    ...(input.parentExecutionId ? { parentExecutionId: input.parentExecutionId } : {}),
    ...(input.correlationId ? { correlationId: input.correlationId } : {}),
    ...(intentType ? { intentType } : {}),
    ...(input.tier ? { tier: input.tier } : {}),
  }
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
