/**
 * The D1 shape of the WAL of record (migrations/0008_wal_packs.sql): one
 * `wal_packs` row per execution per flush, holding that execution's events of
 * the flush as a JSON array and the audit rows of its policy decisions, so a
 * task costs D1 one row and one index entry instead of a row and indexes per
 * event and per decision. The views `wal_events` and `policy_decisions` read
 * packs back as one row per event and per decision.
 *
 * A flush writes all its packs with ONE statement and one bound parameter
 * (the packs as JSON, unpacked by json_each in D1), then advances the pack
 * id counter by the number of packs, in the same D1 transaction: ids are
 * `next + position`, so they grow in delivery order.
 */
import type { WalRow } from './wal-row'

/** Events per pack at most: a pack's events are numbered pack id · 1024 + position in the `wal_events` view. */
export const MAX_PACK_EVENTS = 1024

/** A pack as the insert reads it: [tenant_id, execution_id, first_seq, session_id, events, audit]. */
export type PackValues = [string, string, number, string | null, unknown[][], SqlStorageValue[][] | null]

/** An event inside a pack, in the order the `wal_events` view reads it. */
function packedEvent(row: WalRow): unknown[] {
  return [row.seq, row.type, row.agent_id, row.parent_execution_id, row.correlation_id, row.intent_type, row.trace_id, row.tier, JSON.parse(row.data), row.at]
}

/** The decision audit rows kept for packing: policy_decisions values (tenant at 1, execution at 2). */
export type AuditValues = SqlStorageValue[]

/**
 * Groups outbox rows (oldest first) and audit rows into packs: one per
 * execution and session, in the order each first appears, its events in seq
 * order; audit rows join their execution's pack (or make one of their own
 * with first_seq 0 when the flush has no event of it, e.g. a refusal: an
 * execution has one decision). A flush takes at most MAX_PACK_EVENTS rows
 * (write-ahead-log.ts), so no pack outgrows its numbering.
 */
export function buildPacks(rows: readonly WalRow[], audits: readonly AuditValues[]): PackValues[] {
  const packs = new Map<string, PackValues>()
  const byExecution = new Map<string, PackValues>()
  for (const row of rows) {
    const key = `${row.execution_id}\u0000${row.session_id ?? ''}`
    const pack = packs.get(key)
    if (pack) {
      pack[4].push(packedEvent(row))
      continue
    }
    const opened: PackValues = [row.tenant_id, row.execution_id, row.seq, row.session_id, [packedEvent(row)], null]
    packs.set(key, opened)
    if (!byExecution.has(row.execution_id)) byExecution.set(row.execution_id, opened)
  }
  for (const audit of audits) {
    const [tenantId, executionId] = [String(audit[1]), String(audit[2])]
    const pack = byExecution.get(executionId)
    if (pack && pack[0] === tenantId) pack[5] = [...(pack[5] ?? []), audit]
    else packs.set(`${executionId}\u0000audit`, [tenantId, executionId, 0, null, [], [audit]])
  }
  return [...packs.values()]
}

/** The two statements that write `packs` (one JSON parameter) and advance the id counter past them. */
export function packStatements(db: D1Database, packs: readonly PackValues[]): D1PreparedStatement[] {
  if (packs.length === 0) return []
  const json = JSON.stringify(packs)
  return [
    db
      .prepare(
        `INSERT OR IGNORE INTO wal_packs (tenant_id, id, execution_id, first_seq, session_id, events, audit)
         SELECT json_extract(value, '$[0]'), (SELECT next FROM wal_pack_ids) + key, json_extract(value, '$[1]'), json_extract(value, '$[2]'),
                json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]')
         FROM json_each(?1)
         RETURNING json_array_length(events) AS events`,
      )
      .bind(json),
    // The count, not the packs again: the JSON is sent to D1 once per flush, not twice.
    db.prepare('UPDATE wal_pack_ids SET next = next + ?1 WHERE one = 1').bind(packs.length),
  ]
}
