/**
 * Rows for D1 tables other than the WAL that an agent's governed path
 * produces — the policy decision audit and the data references of an
 * accepted execution — kept in the same Durable Object outbox discipline as
 * WAL events: appended synchronously into the object's SQLite (durable before
 * the response leaves, by the output gate), sent to D1 with the WAL in the
 * same `batch()` (one D1 transaction), and deleted only after D1 acknowledged.
 * Every table here has a primary key the row carries (`id`), and the insert is
 * `INSERT OR IGNORE`, so a re-sent row is a no-op: exactly once.
 *
 * A whole flush of one table is ONE statement with ONE bound parameter: the
 * rows travel as a JSON array and `json_each` unpacks them inside D1, so the
 * statement count per flush does not grow with the rows in it (D1 allows 100
 * bound parameters per statement; this uses one).
 */
import type { Migration } from '../core/storage-migrations'
import { insertJsonRows, jsonRowsInsertSql } from '../core/json-chunks'

/** The D1 tables an outbox may carry rows for, each with its columns in insert order. */
export const RECORD_TABLES = {
  policy_decisions: [
    'id', 'tenant_id', 'execution_id', 'agent_id', 'kind', 'action', 'effect', 'policy_id', 'rule_index',
    'reason', 'policy_version', 'inputs', 'evaluations', 'decided_at',
  ],
  data_references: ['id', 'tenant_id', 'ref', 'kind', 'execution_id', 'direction', 'metadata', 'created_at'],
} as const satisfies Record<string, readonly string[]>

export type RecordTable = keyof typeof RECORD_TABLES

/**
 * Where a record is written when it is not packed: decisions made outside an agent go to
 * `policy_decision_rows` (`policy_decisions` is a view over those rows and the agents' packs since
 * migrations/0008_wal_packs.sql; an agent's decisions travel inside its WAL packs).
 */
const TABLE_OF: Record<RecordTable, string> = { policy_decisions: 'policy_decision_rows', data_references: 'data_references' }

/** One row for a D1 table: its values in RECORD_TABLES order. */
export interface D1Record {
  table: RecordTable
  values: SqlStorageValue[]
}

/** The outbox table for D1Records, a migration of every object that holds one. */
export const RECORD_OUTBOX_MIGRATION: Migration = [
  `CREATE TABLE IF NOT EXISTS record_outbox (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl     TEXT NOT NULL,
    vals    TEXT NOT NULL
  )`,
]

interface RecordOutboxRow extends Record<string, SqlStorageValue> {
  id: number
  tbl: RecordTable
  vals: string
}

/** One statement for any number of records (their order kept by the outbox ids). */
export function appendRecords(sql: SqlStorage, records: readonly D1Record[]): void {
  if (records.length === 0) return
  insertJsonRows(sql, 'record_outbox', ['tbl', 'vals'], records.map((record) => [record.table, JSON.stringify(record.values)]))
}

export function readRecords(sql: SqlStorage, limit: number): RecordOutboxRow[] {
  return sql.exec<RecordOutboxRow>('SELECT * FROM record_outbox ORDER BY id LIMIT ?', limit).toArray()
}

export function deleteRecords(sql: SqlStorage, throughId: number): void {
  sql.exec('DELETE FROM record_outbox WHERE id <= ?', throughId)
}

export function pendingRecords(sql: SqlStorage): number {
  return sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM record_outbox').one().n
}

/** The statements that write `records`: one per table they name, in order of first appearance. */
export function recordStatements(db: D1Database, records: readonly D1Record[]): D1PreparedStatement[] {
  const byTable = new Map<RecordTable, unknown[][]>()
  for (const record of records) {
    const rows = byTable.get(record.table) ?? []
    rows.push(record.values)
    byTable.set(record.table, rows)
  }
  // Every row of a table in one statement and one parameter (a flush is bounded far below D1's value limit).
  return [...byTable].map(([table, rows]) => db.prepare(jsonRowsInsertSql(TABLE_OF[table], RECORD_TABLES[table], { orIgnore: true })).bind(JSON.stringify(rows)))
}

/** Outbox rows back into records (what a flush sends). */
export function recordsOf(rows: readonly RecordOutboxRow[]): D1Record[] {
  return rows.map((row) => ({ table: row.tbl, values: JSON.parse(row.vals) as SqlStorageValue[] }))
}
