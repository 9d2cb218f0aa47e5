/**
 * The `WriteAheadLog` port: append into the Durable Object's outbox (durable
 * at once), flush to D1 — the WAL of record — in order and exactly once, with
 * the other D1 rows the object keeps in its record outbox (records.ts: the
 * decision audit and data references) in the same transaction.
 *
 * Group commit: a flush takes up to FLUSH_BATCH_SIZE outbox rows of each kind,
 * oldest first, and writes them to D1 in ONE `batch()` (a single D1
 * transaction): one `INSERT OR IGNORE … FROM json_each(?1)` for the WAL rows
 * (keyed on (execution_id, seq)) and one per record table (keyed on `id`);
 * only after D1 acknowledged does it delete those rows from the outbox. Why
 * that is safe:
 * - nothing is lost: a row leaves the outbox only after D1 committed it;
 * - nothing is doubled: a crash between the D1 commit and the outbox delete
 *   re-sends the same rows next time, and the unique keys make the repeat a no-op;
 * - order holds: batches go out one at a time, oldest first, each atomic, and
 *   D1's `id` records the delivery order (json_each yields the rows in array
 *   order; a re-sent row keeps its first id).
 * Batching is only a change in how many rows share one round trip; the event
 * was already durable in the DO when `append` returned.
 */
import type { WalEvent } from '../../types/fabric'
import type { WalEventInput, WriteAheadLog } from '../core/ports'
import { appendToOutbox, deleteDelivered, pendingCount, readOutbox, type OutboxRow } from './outbox'
import { appendRecords, deleteRecords, jsonRowsInsert, pendingRecords, readRecords, recordsOf, recordStatements, type D1Record } from './records'
import { WAL_COLUMNS } from './wal-row'

/** Rows of each kind per D1 transaction: bounded so one statement's JSON stays far below D1's 2 MB value limit. */
export const FLUSH_BATCH_SIZE = 200

export interface DurableWriteAheadLog extends WriteAheadLog {
  /** Keeps rows for other D1 tables in the outbox; they leave with the next flush. */
  keep(records: readonly D1Record[]): void
  /** Rows appended or kept but not yet in D1. */
  pending(): number
}

/**
 * Create in the Durable Object constructor: `createWriteAheadLog(ctx.storage.sql, env.DB)`, after
 * the object's migrations (which include WAL_OUTBOX_MIGRATION and RECORD_OUTBOX_MIGRATION) have run.
 */
export function createWriteAheadLog(sql: SqlStorage, db: D1Database): DurableWriteAheadLog {
  // One flush at a time per log: a second caller waits for the running one, then flushes what is left.
  let running: Promise<number> = Promise.resolve(0)

  async function drain(): Promise<number> {
    let delivered = 0
    for (;;) {
      const rows = readOutbox(sql, FLUSH_BATCH_SIZE)
      const records = readRecords(sql, FLUSH_BATCH_SIZE)
      if (rows.length === 0 && records.length === 0) return delivered
      const statements = [
        ...(rows.length > 0 ? [jsonRowsInsert(db, 'wal_events', WAL_COLUMNS, rows.map((row) => WAL_COLUMNS.map((column) => row[column])))] : []),
        ...recordStatements(db, recordsOf(records)),
      ]
      const results = await db.batch(statements)
      const lastRow = rows[rows.length - 1]
      const lastRecord = records[records.length - 1]
      if (lastRow) deleteDelivered(sql, (lastRow as OutboxRow).id)
      if (lastRecord) deleteRecords(sql, lastRecord.id)
      if (rows.length > 0) delivered += results[0]?.meta.changes ?? 0
    }
  }

  return {
    append(event: WalEventInput): WalEvent {
      return appendToOutbox(sql, event)
    },
    keep(records: readonly D1Record[]): void {
      appendRecords(sql, records)
    },
    flush(): Promise<number> {
      const next = running.catch(() => 0).then(drain)
      running = next
      return next
    },
    pending(): number {
      return pendingCount(sql) + pendingRecords(sql)
    },
  }
}
