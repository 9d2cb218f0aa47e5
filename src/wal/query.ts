/**
 * Reading the WAL of record in D1: always within one tenant, in delivery
 * order (the `wal_events` view's `id`: pack id · 1024 + position, which within
 * an execution is its `seq` order), filtered by execution, session, intent
 * type, event type and time range, and paginated with an opaque cursor (the
 * last id returned). Packs are stored per tenant in id order
 * (migrations/0008_wal_packs.sql), so a page starts at the cursor's pack.
 */
import type { WalEvent, WalEventType } from '../../types/fabric'
import { toWalEvent, type WalRow } from './wal-row'

export const MAX_WAL_PAGE = 1000

export interface WalQuery {
  executionId?: string
  sessionId?: string
  intentType?: string
  eventType?: WalEventType
  /** ISO time, inclusive. */
  since?: string
  /** ISO time, exclusive. */
  until?: string
  /** Cursor from a previous page. */
  after?: number
  limit: number
}

export interface WalPage {
  events: WalEvent[]
  /** Pass as `after` for the next page; absent on the last page. */
  nextCursor?: number
}

export async function queryWal(db: D1Database, tenantId: string, query: WalQuery): Promise<WalPage> {
  const limit = Math.min(Math.max(query.limit, 1), MAX_WAL_PAGE)
  const { results } = await db
    .prepare(
      `SELECT * FROM wal_events
       WHERE tenant_id = ?1
         AND (?2 IS NULL OR execution_id = ?2)
         AND (?3 IS NULL OR session_id = ?3)
         AND (?4 IS NULL OR intent_type = ?4)
         AND (?5 IS NULL OR type = ?5)
         AND (?6 IS NULL OR at >= ?6)
         AND (?7 IS NULL OR at < ?7)
         AND pack_id >= CAST(?8 AS INTEGER) / 1024 AND id > ?8
       ORDER BY id LIMIT ?9`,
    )
    .bind(
      tenantId,
      query.executionId ?? null,
      query.sessionId ?? null,
      query.intentType ?? null,
      query.eventType ?? null,
      query.since ?? null,
      query.until ?? null,
      query.after ?? 0,
      limit + 1,
    )
    .all<WalRow>()
  const page = results.slice(0, limit)
  const last = page[page.length - 1]
  return { events: page.map(toWalEvent), ...(results.length > limit && last ? { nextCursor: last.id } : {}) }
}

/** Every event of one execution, in sequence order (replay reads this). */
export async function executionEvents(db: D1Database, tenantId: string, executionId: string): Promise<WalEvent[]> {
  const { results } = await db
    .prepare('SELECT * FROM wal_events WHERE tenant_id = ?1 AND execution_id = ?2 ORDER BY seq')
    .bind(tenantId, executionId)
    .all<WalRow>()
  return results.map(toWalEvent)
}

/** Session replay: every event of every execution that has an event in the session, in delivery order. */
export async function sessionEvents(db: D1Database, tenantId: string, sessionId: string, limit: number): Promise<WalEvent[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM wal_events WHERE tenant_id = ?1 AND execution_id IN (
         SELECT execution_id FROM wal_packs WHERE tenant_id = ?1 AND session_id = ?2)
       ORDER BY id LIMIT ?3`,
    )
    .bind(tenantId, sessionId, Math.min(Math.max(limit, 1), MAX_WAL_PAGE))
    .all<WalRow>()
  return results.map(toWalEvent)
}
