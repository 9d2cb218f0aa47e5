/**
 * The `WriteAheadLog` port: append into the Durable Object's outbox (durable
 * at once), flush to D1 — the WAL of record — in order and exactly once.
 *
 * Group commit: a flush takes up to FLUSH_BATCH_SIZE outbox rows, oldest
 * first, and writes them to D1 in ONE `batch()` (a single D1 transaction) of
 * `INSERT OR IGNORE` statements keyed on (execution_id, seq); only after D1
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
import type { WalEventInput, WriteAheadLog } from '../runtime/ports'
import { appendToOutbox, deleteDelivered, ensureWalOutbox, pendingCount, readOutbox, type OutboxRow } from './outbox'

/** 14 bound values per row; D1 allows 100 per statement, so one row per statement, many per batch. */
export const FLUSH_BATCH_SIZE = 50

const INSERT_EVENT = `INSERT OR IGNORE INTO wal_events
  (execution_id, seq, type, tenant_id, agent_id, session_id, parent_execution_id, correlation_id,
   intent_type, trace_id, tier, data, at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)`

export interface DurableWriteAheadLog extends WriteAheadLog {
  /** Rows appended but not yet in D1. */
  pending(): number
}

function insertStatement(db: D1Database, row: OutboxRow): D1PreparedStatement {
  return db
    .prepare(INSERT_EVENT)
    .bind(
      row.execution_id,
      row.seq,
      row.type,
      row.tenant_id,
      row.agent_id,
      row.session_id,
      row.parent_execution_id,
      row.correlation_id,
      row.intent_type,
      row.trace_id,
      row.tier,
      row.data,
      row.at,
    )
}

/**
 * Create in the Durable Object constructor: `createWriteAheadLog(ctx.storage.sql, env.DB)`.
 * Creates the outbox tables if needed.
 */
export function createWriteAheadLog(sql: SqlStorage, db: D1Database): DurableWriteAheadLog {
  ensureWalOutbox(sql)
  // One flush at a time per log: a second caller waits for the running one, then flushes what is left.
  let running: Promise<number> = Promise.resolve(0)

  async function drain(): Promise<number> {
    let delivered = 0
    for (;;) {
      const rows = readOutbox(sql, FLUSH_BATCH_SIZE)
      if (rows.length === 0) return delivered
      const results = await db.batch(rows.map((row) => insertStatement(db, row)))
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
