/**
 * The `WriteAheadLog` port: append into the Durable Object's outbox (durable
 * at once), flush to D1 — the WAL of record — in order and exactly once, with
 * the other D1 rows the object keeps in its record outbox (records.ts: the
 * decision audit and data references) in the same transaction.
 *
 * Group commit: a flush takes up to FLUSH_BATCH_SIZE outbox rows of each kind,
 * oldest first (records stop before an audit whose events wait behind the
 * events taken, so it joins their pack next time: recordsToTake), packs the
 * events and decision audit of each execution into one `wal_packs` row
 * (packs.ts) and writes them to D1 in ONE `batch()` (a single D1
 * transaction): one statement for every pack, one that advances
 * the pack ids, one per other record table. Only after D1 acknowledged does
 * it delete those rows from the outbox. Why that is safe:
 * - nothing is lost: a row leaves the outbox only after D1 committed it;
 * - nothing is doubled: the flush is written down (`wal_flight`) before it is
 *   sent, so after a crash between the D1 commit and the outbox delete the
 *   SAME packs are sent again, and D1's keys — (execution_id, first_seq) for
 *   packs, `id` for records — make the repeat a no-op;
 * - order holds: flushes go out one at a time, oldest first, each atomic, and
 *   pack ids grow in delivery order; an execution's events are in seq order
 *   (a flush lists its executions in the order each first appeared).
 * Batching is only a change in how many rows share one round trip; the event
 * was already durable in the DO when `append` returned.
 */
import type { WalEvent } from '../../types/fabric'
import type { Migration } from '../core/storage-migrations'
import type { WalEventInput, WriteAheadLog } from '../core/ports'
import { appendManyToOutbox, appendToOutbox, deleteDelivered, forgetSequences, pendingCount, readOutbox, type OutboxRow } from './outbox'
import { buildPacks, MAX_PACK_EVENTS, packStatements, type AuditValues, type PackValues } from './packs'
import { appendRecords, deleteRecords, pendingRecords, readRecords, recordsOf, recordStatements, type D1Record } from './records'

/** Rows of each kind per D1 transaction: bounded so one statement's JSON stays far below D1's 2 MB value limit. */
export const FLUSH_BATCH_SIZE = Math.min(200, MAX_PACK_EVENTS)

/** The flush on its way to D1, written down before it is sent so a re-send after a crash is the same packs. */
export const WAL_FLIGHT_MIGRATION: Migration = [
  `CREATE TABLE IF NOT EXISTS wal_flight (
    one              INTEGER PRIMARY KEY CHECK (one = 1),
    packs            TEXT NOT NULL,
    records          TEXT NOT NULL,
    wal_through      INTEGER NOT NULL,
    records_through  INTEGER NOT NULL
  )`,
]

interface Flight {
  packs: PackValues[]
  records: D1Record[]
  walThrough: number
  recordsThrough: number
}

function readFlight(sql: SqlStorage): Flight | undefined {
  const row = sql
    .exec<{ packs: string; records: string; wal_through: number; records_through: number }>('SELECT packs, records, wal_through, records_through FROM wal_flight')
    .toArray()[0]
  return row && { packs: JSON.parse(row.packs) as PackValues[], records: JSON.parse(row.records) as D1Record[], walThrough: row.wal_through, recordsThrough: row.records_through }
}

const isAudit = (record: D1Record): boolean => record.table === 'policy_decisions'
/** The execution a decision audit row is about (its third column). */
const auditExecution = (record: D1Record): string => String(record.values[2])

/**
 * How many of `records` (oldest first) a flight takes: all, or those before the first decision audit whose
 * execution has no event among `rows` but events waiting behind them in the outbox. That audit then leaves
 * with those events, in their pack, instead of in a pack of its own now and theirs next time (two D1 rows and
 * two index rows instead of one each). A flight takes FLUSH_BATCH_SIZE of each kind and an execution has
 * several events to its one audit, so without the cut about half the audits went out ahead of their events
 * under load. An audit whose execution has no events waiting (a denied request) is never held.
 */
function recordsToTake(sql: SqlStorage, records: readonly D1Record[], rows: readonly OutboxRow[], walThrough: number): number {
  const inFlight = new Set(rows.map((row) => row.execution_id))
  const ahead = [...new Set(records.filter(isAudit).map(auditExecution))].filter((id) => !inFlight.has(id))
  if (ahead.length === 0) return records.length
  const waiting = new Set(
    sql
      .exec<{ execution_id: string }>(
        'SELECT DISTINCT execution_id FROM wal_outbox WHERE id > ? AND execution_id IN (SELECT value FROM json_each(?))',
        walThrough,
        JSON.stringify(ahead),
      )
      .toArray()
      .map((row) => row.execution_id),
  )
  const held = records.findIndex((record) => isAudit(record) && waiting.has(auditExecution(record)))
  return held === -1 ? records.length : held
}

/** The next flush from the outbox (decision audit rows go into packs, other records beside them), written down; undefined when nothing waits. */
function nextFlight(sql: SqlStorage): Flight | undefined {
  const rows = readOutbox(sql, FLUSH_BATCH_SIZE)
  const read = readRecords(sql, FLUSH_BATCH_SIZE)
  if (rows.length === 0 && read.length === 0) return undefined
  const walThrough = rows[rows.length - 1]?.id ?? 0
  const all = recordsOf(read)
  const taken = recordsToTake(sql, all, rows, walThrough)
  const records = all.slice(0, taken)
  const audits: AuditValues[] = records.filter(isAudit).map((record) => record.values)
  const flight: Flight = {
    packs: buildPacks(rows, audits),
    records: records.filter((record) => !isAudit(record)),
    walThrough,
    recordsThrough: read[taken - 1]?.id ?? 0,
  }
  sql.exec(
    'INSERT INTO wal_flight (one, packs, records, wal_through, records_through) VALUES (1, ?, ?, ?, ?)',
    JSON.stringify(flight.packs),
    JSON.stringify(flight.records),
    flight.walThrough,
    flight.recordsThrough,
  )
  return flight
}

export interface DurableWriteAheadLog extends WriteAheadLog {
  /** Keeps rows for other D1 tables in the outbox; they leave with the next flush. */
  keep(records: readonly D1Record[]): void
  /** Rows appended or kept but not yet in D1. */
  pending(): number
  /** These executions get no more events (their tasks were purged): their seqs need not be kept (forgetSequences). */
  ended(executionIds: readonly string[]): void
}

/**
 * Create in the Durable Object constructor: `createWriteAheadLog(ctx.storage.sql, env.DB)`, after the
 * object's migrations (which include WAL_OUTBOX_MIGRATION, RECORD_OUTBOX_MIGRATION and WAL_FLIGHT_MIGRATION) have run.
 */
export function createWriteAheadLog(sql: SqlStorage, db: D1Database): DurableWriteAheadLog {
  // One flush at a time per log: a second caller waits for the running one, then flushes what is left.
  let running: Promise<number> = Promise.resolve(0)

  async function drain(): Promise<number> {
    let delivered = 0
    for (;;) {
      const flight = readFlight(sql) ?? nextFlight(sql)
      if (!flight) return delivered
      const [inserted] = await db.batch([...packStatements(db, flight.packs), ...recordStatements(db, flight.records)])
      // One synchronous run of writes: the outbox rows and the flight leave together.
      deleteDelivered(sql, flight.walThrough)
      deleteRecords(sql, flight.recordsThrough)
      sql.exec('DELETE FROM wal_flight')
      // The packs D1 took (a re-sent one is ignored and returns nothing): how many events reached it now.
      delivered += (inserted?.results ?? []).reduce((n: number, row) => n + Number((row as { events?: number }).events ?? 0), 0)
    }
  }

  return {
    append(event: WalEventInput): WalEvent {
      return appendToOutbox(sql, event)
    },
    appendMany(events: readonly WalEventInput[]): WalEvent[] {
      return appendManyToOutbox(sql, events)
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
    ended(executionIds: readonly string[]): void {
      forgetSequences(sql, executionIds)
    },
  }
}
