/**
 * What the agent holds in memory of its `tasks` table, so its hot path does not read back what it has just
 * written: a single exec read its own row twice, re-read a slot-full it had just marked running, asked the
 * readiness of an empty queue three times and the next due time twice. This is exact because the agent's
 * object is the only writer of its SQLite and TaskQueue the only writer of `tasks` (migrations run before
 * any of this): every row a write answers (RETURNING *) is the row as stored until the next write, which
 * passes through `written` too. A transaction that rolls back makes the runtime call `forget`; a new
 * instance (after an eviction) starts knowing nothing.
 *
 * Held: recent rows by id (bounded, large ones never); whether no task is pending; a lower bound of the
 * next time a row falls due; an upper bound of the waiting tasks.
 */
import { RecentValues } from '../core/recent-values'
import { WAITING_STATUSES, type TaskRow } from './task-record'

/** Rows held by id: a slot-full at the widest concurrency (64) and the execs answered meanwhile. */
const HELD_ROWS = 128
/** A row whose stored result or request is larger than this is read from SQLite when asked for, never held. */
const HELD_ROW_CHARS = 16 * 1024

/** When a row falls due for the alarm by itself: a retry, a deadline to start, a timeout, an approval's expiry (nextDueAt's terms). */
export function dueOf(row: TaskRow): number | undefined {
  const due: Array<number | null> = []
  if (WAITING_STATUSES.includes(row.status)) due.push(row.deadline_at)
  if (row.status === 'retry_wait') due.push(row.next_attempt_at)
  if (row.status === 'running' && row.started_at !== null) due.push(row.started_at + row.timeout_ms)
  if (row.status === 'awaiting_approval') due.push(row.approval_expires_at)
  const times = due.filter((at): at is number => at !== null)
  return times.length > 0 ? Math.min(...times) : undefined
}

/** A rank whose pending tasks shared one level when read: its oldest and newest ready_at then, and its first rows by seq. */
export interface RankAhead {
  rank: number
  oldest: number
  newest: number
  /** Its first pending rows by seq, as read, less those that have left pending since. */
  rows: TaskRow[]
  /** The read answered every pending row of the rank. */
  complete: boolean
}

export class TaskMemory {
  private readonly rows = new RecentValues<TaskRow>(HELD_ROWS)
  /** The ids of every pending task when a readiness read saw them all (then kept by each row written), or undefined. */
  private pending: Set<string> | undefined
  /** What the last readiness read read ahead, per rank, while no row has become pending since (TaskQueue.ready). */
  private ahead: RankAhead[] | undefined
  /**
   * At most the earliest due time of any row (undefined inside: nothing due), or undefined when unknown. A
   * row written lowers it; one that leaves its state does not raise it, so it may be early, never late: the
   * alarm it arms finds nothing due and the next ask, its time being past, reads the table again.
   */
  private due: { at: number | undefined } | undefined
  /** At least the number of waiting tasks, or undefined when unknown: every row written waiting adds one. */
  private waitingBound: number | undefined

  /** Rows as a write (or a read) answered them. */
  written(rows: readonly TaskRow[]): void {
    for (const row of rows) {
      if ((row.result?.length ?? 0) + row.request.length + row.context.length <= HELD_ROW_CHARS) this.rows.set(row.id, row)
      else this.rows.delete(row.id)
      if (row.status === 'pending') {
        this.pending?.add(row.id)
        this.ahead = undefined
      } else {
        this.pending?.delete(row.id)
        this.leftPending(row.id)
      }
      if (WAITING_STATUSES.includes(row.status) && this.waitingBound !== undefined) this.waitingBound += 1
      const at = dueOf(row)
      if (at !== undefined && this.due !== undefined && (this.due.at === undefined || at < this.due.at)) this.due = { at }
    }
  }

  deleted(ids: readonly string[]): void {
    for (const id of ids) {
      this.rows.delete(id)
      this.pending?.delete(id)
      this.leftPending(id)
    }
  }

  readAhead(ranks: RankAhead[] | undefined): void {
    this.ahead = ranks
  }

  aheadRanks(): readonly RankAhead[] | undefined {
    return this.ahead
  }

  private leftPending(id: string): void {
    for (const rank of this.ahead ?? []) {
      const at = rank.rows.findIndex((row) => row.id === id)
      if (at >= 0) rank.rows.splice(at, 1)
    }
  }

  /** Every pending row, when which they are is known and each is held; undefined when that takes a read. */
  pendingRows(): TaskRow[] | undefined {
    if (this.pending === undefined) return undefined
    const rows: TaskRow[] = []
    for (const id of this.pending) {
      const row = this.rows.get(id)
      if (!row) return undefined
      rows.push(row)
    }
    return rows
  }

  /** A readiness read saw every pending task (`ids`), or (undefined) only some of them. */
  pendingSeen(ids: Iterable<string> | undefined): void {
    this.pending = ids === undefined ? undefined : new Set(ids)
  }

  row(id: string): TaskRow | undefined {
    return this.rows.get(id)
  }

  /** The held lower bound of the next due time while it is still ahead of `now`; otherwise `read()` from the table, held from then on. */
  dueAt(now: number, read: () => number | undefined): number | undefined {
    if (this.due !== undefined && (this.due.at === undefined || this.due.at > now)) return this.due.at
    this.due = { at: read() }
    return this.due.at
  }

  /** The held upper bound of waiting tasks; `count()` (exact) when none is held. */
  waitingAtMost(count: () => number): number {
    this.waitingBound ??= count()
    return this.waitingBound
  }

  /** An exact count of waiting tasks, just read. */
  waitingCounted(n: number): void {
    this.waitingBound = n
  }

  forget(): void {
    this.rows.clear()
    this.pending = undefined
    this.ahead = undefined
    this.due = undefined
    this.waitingBound = undefined
  }
}
