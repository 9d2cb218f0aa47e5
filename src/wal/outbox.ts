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
import { jsonChunks } from '../core/json-chunks'
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
 * The one statement of an append: each row's seq is its execution's last seq so far plus its place among the
 * execution's rows of this statement (a window over the JSON array, in array order), and its intent type the
 * execution's first one. "So far" is the larger of the execution's rows still in the outbox and its
 * `wal_sequences` row (written when a flush deletes rows: deleteDelivered), both read by the statement itself
 * before it inserts (SQLite evaluates an INSERT … SELECT that reads its own table fully first). So an append
 * is one write however many executions and events it has, and it is as exact as the table: a rolled-back
 * append leaves nothing behind to count. The JSON rows are in WAL_COLUMNS order; their seq (`value ->> 1`)
 * is a placeholder the statement does not read.
 */
const APPEND_SQL = `INSERT INTO wal_outbox (${WAL_COLUMNS.join(', ')})
  SELECT j.value ->> 0,
    max(
      COALESCE((SELECT MAX(o.seq) FROM wal_outbox AS o WHERE o.execution_id = j.value ->> 0), 0),
      COALESCE((SELECT s.last_seq FROM wal_sequences AS s WHERE s.execution_id = j.value ->> 0), 0)
    ) + row_number() OVER (PARTITION BY j.value ->> 0 ORDER BY j.key),
    j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7,
    COALESCE(
      (SELECT s.intent_type FROM wal_sequences AS s WHERE s.execution_id = j.value ->> 0),
      (SELECT o.intent_type FROM wal_outbox AS o WHERE o.execution_id = j.value ->> 0 AND o.intent_type IS NOT NULL LIMIT 1),
      j.value ->> 8
    ),
    j.value ->> 9, j.value ->> 10, j.value ->> 11, j.value ->> 12
  FROM json_each(?) AS j
  ORDER BY j.key
  RETURNING execution_id, seq, intent_type`

/**
 * Appends events in order, in one statement whatever their number (APPEND_SQL: their sequences and rows
 * together), so a batch of tasks writes its WAL without a statement per event.
 */
export function appendManyToOutbox(sql: SqlStorage, inputs: readonly WalEventInput[]): WalEvent[] {
  if (inputs.length === 0) return []
  // An execution takes the intent type of its first event in the call when it has none yet (as it always did).
  const firstIntent = new Map<string, string | undefined>()
  for (const input of inputs) if (!firstIntent.has(input.executionId)) firstIntent.set(input.executionId, input.intentType)
  const at = new Date().toISOString()
  const drafts = inputs.map((input): WalEvent => ({
    executionId: input.executionId,
    seq: 0,
    type: input.type,
    tenantId: input.tenantId,
    traceId: input.traceId,
    data: redact(input.data),
    at,
    ...(input.agentId ? { agentId: input.agentId } : {}),
    ...(input.sessionId ? { sessionId: input.sessionId } : {}),
    ...(input.parentExecutionId ? { parentExecutionId: input.parentExecutionId } : {}),
    ...(input.correlationId ? { correlationId: input.correlationId } : {}),
    ...(input.tier ? { tier: input.tier } : {}),
  }))
  const rows = drafts.map((draft) => walColumnValues({ ...draft, ...intentOf(firstIntent.get(draft.executionId)) }))
  // Per execution, the seqs and intent type the statement gave, in ascending seq: its events' order in the call.
  const given = new Map<string, { seqs: number[]; intentType: string | null }>()
  for (const chunk of jsonChunks(rows)) {
    for (const row of sql.exec<{ execution_id: string; seq: number; intent_type: string | null }>(APPEND_SQL, chunk)) {
      const entry = given.get(row.execution_id) ?? { seqs: [], intentType: row.intent_type }
      entry.seqs.push(row.seq)
      given.set(row.execution_id, entry)
    }
  }
  for (const entry of given.values()) entry.seqs.sort((a, b) => a - b)
  const taken = new Map<string, number>()
  return drafts.map((draft): WalEvent => {
    const entry = given.get(draft.executionId)
    const place = taken.get(draft.executionId) ?? 0
    taken.set(draft.executionId, place + 1)
    const seq = entry?.seqs[place]
    if (seq === undefined) throw new Error(`the outbox gave execution ${draft.executionId} no seq for its event ${place + 1}`)
    return { ...draft, seq, ...intentOf(entry?.intentType ?? undefined) }
  })
}

const intentOf = (intentType: string | undefined): { intentType?: string } => (intentType ? { intentType } : {})

export function appendToOutbox(sql: SqlStorage, input: WalEventInput): WalEvent {
  const [event] = appendManyToOutbox(sql, [input])
  if (!event) throw new Error('the outbox appended no event')
  return event
}

/** The oldest rows first: delivery order is append order. */
export function readOutbox(sql: SqlStorage, limit: number): OutboxRow[] {
  return sql.exec<OutboxRow>('SELECT * FROM wal_outbox ORDER BY id LIMIT ?', limit).toArray()
}

/**
 * Deletes the rows D1 has, after keeping each of their executions' last seq and intent type in
 * `wal_sequences`, so the execution's next append continues from there (APPEND_SQL). Call in one
 * synchronous run with the rest of the flush's writes: both commit together.
 */
export function deleteDelivered(sql: SqlStorage, throughId: number): void {
  sql.exec(
    `INSERT INTO wal_sequences (execution_id, last_seq, intent_type)
     SELECT execution_id, MAX(seq), MAX(intent_type) FROM wal_outbox WHERE id <= ? GROUP BY execution_id
     ON CONFLICT(execution_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), intent_type = COALESCE(intent_type, excluded.intent_type)`,
    throughId,
  )
  sql.exec('DELETE FROM wal_outbox WHERE id <= ?', throughId)
}

/**
 * Drops the kept seq and intent type of executions nothing will append to again (the agent's purged
 * tasks), so `wal_sequences` does not keep a row for every execution the object ever ran. An append for
 * one of them afterwards would number its events from 1 again: call it only for ended executions.
 */
export function forgetSequences(sql: SqlStorage, executionIds: readonly string[]): void {
  for (const chunk of jsonChunks(executionIds)) sql.exec('DELETE FROM wal_sequences WHERE execution_id IN (SELECT value FROM json_each(?))', chunk)
}

export function pendingCount(sql: SqlStorage): number {
  return sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM wal_outbox').one().n
}
