/**
 * The `WriteAheadLog` port: append into the Durable Object's outbox (durable
 * at once), flush to D1 — the WAL of record — in order and exactly once.
 *
 * Group commit: a flush takes up to FLUSH_BATCH_SIZE outbox rows, oldest
 * first, and writes them to D1 in ONE `batch()` (a single D1 transaction) of
 * multi-row `INSERT OR IGNORE` statements keyed on (execution_id, seq); only after D1
 * acknowledged does it delete those rows from the outbox. Why that is safe:
 * - nothing is lost: a row leaves the outbox only after D1 committed it;
 * - nothing is doubled: a crash between the D1 commit and the outbox delete
 *   re-sends the same rows next time, and the unique (execution_id, seq) key
 *   makes the repeat a no-op;
 * - order holds: batches go out one at a time, oldest first, each atomic, and
 *   D1's `id` records the delivery order (a re-sent row keeps its first id).
 * Batching is only a change in how many rows share one round trip; the event
 * was already durable in the DO when `append` returned.
 */
import type { WalEvent } from '../../types/fabric'
import type { WalEventInput, WriteAheadLog } from '../core/ports'
import { appendToOutbox, deleteDelivered, pendingCount, readOutbox, type OutboxRow } from './outbox'
import { WAL_COLUMNS } from './wal-row'

export const FLUSH_BATCH_SIZE = 50

/** D1 binds at most 100 values per statement: 7 rows of 13 columns share one multi-row INSERT. */
const ROWS_PER_STATEMENT = Math.floor(100 / WAL_COLUMNS.length)

/** One `INSERT OR IGNORE` for several rows: the batch is still one D1 transaction, with fewer statements in it. */
function insertStatement(db: D1Database, rows: OutboxRow[]): D1PreparedStatement {
  const values = rows.map((_, r) => `(${WAL_COLUMNS.map((_, c) => `?${r * WAL_COLUMNS.length + c + 1}`).join(', ')})`)
  return db
    .prepare(`INSERT OR IGNORE INTO wal_events (${WAL_COLUMNS.join(', ')}) VALUES ${values.join(', ')}`)
    .bind(...rows.flatMap((row) => WAL_COLUMNS.map((column) => row[column])))
}

export interface DurableWriteAheadLog extends WriteAheadLog {
  /** Rows appended but not yet in D1. */
  pending(): number
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))
}

/**
 * Create in the Durable Object constructor: `createWriteAheadLog(ctx.storage.sql, env.DB)`, after
 * the object's migrations (which include WAL_OUTBOX_MIGRATION) have run.
 */
export function createWriteAheadLog(sql: SqlStorage, db: D1Database): DurableWriteAheadLog {
  // One flush at a time per log: a second caller waits for the running one, then flushes what is left.
  let running: Promise<number> = Promise.resolve(0)

  async function drain(): Promise<number> {
    let delivered = 0
    for (;;) {
      const rows = readOutbox(sql, FLUSH_BATCH_SIZE)
      if (rows.length === 0) return delivered
      const results = await db.batch(chunks(rows, ROWS_PER_STATEMENT).map((chunk) => insertStatement(db, chunk)))
      deleteDelivered(sql, (rows[rows.length - 1] as OutboxRow).id)
      delivered += results.reduce((n, result) => n + (result.meta.changes ?? 0), 0)
    }
  }

  return {
    append(event: WalEventInput): WalEvent {
      return appendToOutbox(sql, event)
    },
    flush(): Promise<number> {
      const next = running.catch(() => 0).then(drain)
      running = next
      return next
    },
    pending(): number {
      return pendingCount(sql)
    },
  }
}
