/**
 * The scheduler queue, in the agent's SQLite so no accepted task is lost to
 * an eviction or a killed process (NFR-REL-1).
 *
 * Order: by effective priority, then FIFO (seq). Aging lifts a waiting task
 * one level per aging interval, up to critical:
 *   effective = max(0, rank - floor((now - ready_at) / agingMs))
 * with ranks critical 0, high 1, normal 2, low 3. So a low task waits at most
 * three intervals before it competes as critical, where its earlier seq puts
 * it ahead of critical work that arrived after it.
 */
import { PRIORITIES, type TaskStatus } from '../../types/fabric'
import { insertJsonRows, jsonChunks } from '../core/json-chunks'
import { updateRow } from './sql-patch'
import { TaskMemory, type RankAhead } from './task-memory'
import { WAITING_STATUSES, type TaskRow } from './task-record'

/** The columns a new task is written with (the rest start empty; ready_at starts at created_at). */
export type NewTask = Pick<
  TaskRow,
  | 'id'
  | 'execution_id'
  | 'type'
  | 'request'
  | 'payload'
  | 'metadata'
  | 'priority'
  | 'status'
  | 'depends_on'
  | 'timeout_ms'
  | 'deadline_at'
  | 'retry'
  | 'idempotency_key'
  | 'intent_id'
  | 'context'
  | 'decision'
  | 'route'
  | 'wal_links'
  | 'created_at'
>

export type TaskPatch = Partial<
  Pick<TaskRow, 'status' | 'attempts' | 'ready_at' | 'started_at' | 'finished_at' | 'next_attempt_at' | 'result' | 'error' | 'approval_id' | 'approval_expires_at'>
>

const WAITING_SQL = WAITING_STATUSES.map((s) => `'${s}'`).join(', ')

/**
 * The earliest deadline of a waiting task, one MIN per status: each is a single lookup in tasks_by_deadline,
 * where one MIN over `status IN (…)` read every waiting row, and every kick asks (nextDueAt). Nested, as
 * workerd caps the terms of one compound SELECT.
 */
const EARLIEST_DEADLINE_SQL = `SELECT MIN(at) FROM (${WAITING_STATUSES.map(
  (s) => `SELECT MIN(deadline_at) AS at FROM tasks WHERE status = '${s}' AND deadline_at IS NOT NULL`,
).join(' UNION ALL ')})`

/** A pending task's effective priority (the aging formula); ?1 is now, ?2 the aging interval in ms. */
const effectiveOf = (rank: string, readyAt: string): string => `MAX(0, ${rank} - ((CAST(?1 AS INTEGER) - ${readyAt}) / CAST(?2 AS INTEGER)))`

/**
 * Per rank, the ready_at of its oldest and of its newest pending task (NULL when it has none): each MIN and
 * MAX one lookup in tasks_by_readiness. Their effective priorities are the first and the last level of the rank.
 */
const RANK_BOUNDS_SQL = `SELECT ${PRIORITIES.map((_, rank) => {
  const bound = (fn: 'MIN' | 'MAX') => `(SELECT ${fn}(ready_at) FROM tasks INDEXED BY tasks_by_readiness WHERE status = 'pending' AND priority = ${rank})`
  return `${bound('MIN')} AS oldest_${rank}, ${bound('MAX')} AS newest_${rank}`
}).join(', ')}`

/**
 * How many tasks a rank whose pending tasks share one level is read ahead by seq (the widest concurrency): the
 * next dispatches take theirs from memory while that rank still has one level and nothing became pending.
 */
const READ_AHEAD = 64

/** A rank whose pending tasks share one effective priority: its first tasks by seq, whole, in index order. */
const RANK_BY_SEQ_SQL = `SELECT * FROM tasks INDEXED BY tasks_by_status WHERE status = 'pending' AND priority = ? ORDER BY seq LIMIT ?`

/**
 * A rank whose pending tasks span levels: its first tasks by the formula, ordered over the index alone
 * and only the chosen ones read whole (sorting whole rows, their request and context JSON, is what
 * this avoids).
 */
const RANK_BY_EFFECTIVE_SQL = `SELECT tasks.*, chosen.effective FROM (
    SELECT seq, ${effectiveOf('priority', 'ready_at')} AS effective FROM tasks INDEXED BY tasks_by_readiness
    WHERE status = 'pending' AND priority = ?3 ORDER BY effective, seq LIMIT ?4
  ) AS chosen JOIN tasks ON tasks.seq = chosen.seq`

/** effectiveOf in JavaScript, with SQLite's arithmetic: `now` cast to an integer, the division truncated toward zero. */
function effectiveLevel(rank: number, readyAt: number, now: number, aging: number): number {
  return Math.max(0, rank - Math.trunc((Math.trunc(now) - readyAt) / aging))
}

/** The first `limit` candidates by (effective priority, seq). */
function byDispatchOrder(candidates: Array<{ row: TaskRow; effective: number }>, limit: number): TaskRow[] {
  return candidates
    .sort((a, b) => a.effective - b.effective || a.row.seq - b.row.seq)
    .slice(0, limit)
    .map(({ row }) => row)
}

export class TaskQueue {
  /** What every write below answered (task-memory.ts): the reads of the hot path are served from it. */
  private readonly memory = new TaskMemory()

  constructor(private readonly sql: SqlStorage) {}

  /** A transaction rolled back: what was held may be what it wrote. */
  forget(): void {
    this.memory.forget()
  }

  insert(task: NewTask): TaskRow {
    const [row] = this.insertMany([task])
    if (!row) throw new Error(`task ${task.id} was not inserted`)
    return row
  }

  /** Tasks in one statement (their values as one JSON parameter), answered in the given order. */
  insertMany(tasks: readonly NewTask[]): TaskRow[] {
    const [first] = tasks
    if (!first) return []
    const columns = Object.keys(first) as Array<keyof NewTask>
    const values = tasks.map((task) => [...columns.map((column) => task[column]), task.created_at])
    return this.held(insertJsonRows<TaskRow>(this.sql, 'tasks', [...columns, 'ready_at'], values, '*').sort((a, b) => a.seq - b.seq))
  }

  get(id: string): TaskRow | undefined {
    return this.memory.row(id) ?? this.held(this.sql.exec<TaskRow>('SELECT * FROM tasks WHERE id = ?', id).toArray())[0]
  }

  byIdempotencyKey(key: string): TaskRow | undefined {
    return this.sql.exec<TaskRow>('SELECT * FROM tasks WHERE idempotency_key = ?', key).toArray()[0]
  }

  /** The tasks holding any of `keys`, in one query. */
  byIdempotencyKeys(keys: readonly string[]): TaskRow[] {
    return jsonChunks(keys).flatMap((chunk) =>
      this.sql.exec<TaskRow>('SELECT * FROM tasks WHERE idempotency_key IN (SELECT value FROM json_each(?))', chunk).toArray(),
    )
  }

  update(id: string, patch: TaskPatch): TaskRow {
    const updated = updateRow<TaskRow>(this.sql, 'tasks', { column: 'id', value: id }, { ...patch })
    const row = updated ? this.held([updated])[0] : this.get(id)
    if (!row) throw new Error(`task ${id} vanished during an update`)
    return row
  }

  /** Starts an attempt of each task (running, one more attempt, started now) in one statement; answered in the order given. */
  markRunning(ids: readonly string[], now: number): TaskRow[] {
    const rows = this.held(
      this.sql
        .exec<TaskRow>(
          `UPDATE tasks SET status = 'running', attempts = attempts + 1, started_at = ? WHERE id IN (SELECT value FROM json_each(?)) RETURNING *`,
          now,
          JSON.stringify(ids),
        )
        .toArray(),
    )
    const byId = new Map(rows.map((row) => [row.id, row]))
    return ids.flatMap((id) => byId.get(id) ?? [])
  }

  /** The rows of `ids` (those that exist): those held, and the rest in one query. */
  getMany(ids: readonly string[]): TaskRow[] {
    const held: TaskRow[] = []
    const missing: string[] = []
    for (const id of ids) {
      const row = this.memory.row(id)
      if (row) held.push(row)
      else missing.push(id)
    }
    if (missing.length === 0) return held
    const read = jsonChunks(missing).flatMap((chunk) => this.sql.exec<TaskRow>('SELECT * FROM tasks WHERE id IN (SELECT value FROM json_each(?))', chunk).toArray())
    return [...held, ...this.held(read)]
  }

  /** Ends tasks in one statement per chunk (a null result or error leaves the stored one); answered in the order given. */
  finishMany(ends: ReadonlyArray<{ id: string; status: TaskStatus; result: string | null; error: string | null }>, now: number): TaskRow[] {
    const finished = jsonChunks(ends.map(({ id, status, result, error }) => [id, status, result, error])).flatMap((chunk) =>
      this.sql
        .exec<TaskRow>(
          `UPDATE tasks SET status = j.value ->> 1, finished_at = ?, next_attempt_at = NULL,
             result = COALESCE(j.value ->> 2, tasks.result), error = COALESCE(j.value ->> 3, tasks.error)
           FROM json_each(?) AS j WHERE tasks.id = j.value ->> 0 RETURNING *`,
          now,
          chunk,
        )
        .toArray(),
    )
    const byId = new Map(this.held(finished).map((row) => [row.id, row]))
    return ends.flatMap(({ id }) => byId.get(id) ?? [])
  }

  /** Newest first. */
  list(status: TaskStatus | undefined, limit: number): TaskRow[] {
    if (status) return this.sql.exec<TaskRow>('SELECT * FROM tasks WHERE status = ? ORDER BY seq DESC LIMIT ?', status, limit).toArray()
    return this.sql.exec<TaskRow>('SELECT * FROM tasks ORDER BY seq DESC LIMIT ?', limit).toArray()
  }

  withStatus(statuses: readonly TaskStatus[]): TaskRow[] {
    const list = statuses.map((s) => `'${s}'`).join(', ')
    return this.sql.exec<TaskRow>(`SELECT * FROM tasks WHERE status IN (${list}) ORDER BY seq`).toArray()
  }

  waitingCount(): number {
    const { n } = this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks WHERE status IN (${WAITING_SQL})`).one()
    this.memory.waitingCounted(n)
    return n
  }

  /**
   * At least the number of waiting tasks, with no count while a bound is held (the last count, plus one for
   * every row written waiting since; those that left waiting were not taken off). Admission counts exactly
   * only when this bound could reach maxQueueDepth.
   */
  waitingAtMost(): number {
    return this.memory.waitingAtMost(() => this.waitingCount())
  }

  /**
   * Pending tasks in dispatch order (see the aging formula above), read without visiting every pending task:
   * a task's effective priority only falls as its ready_at gets older, so when the oldest and the newest
   * pending task of a rank have the same effective priority (a batch queued at once, or long enough ago),
   * every task of that rank has it, and that rank's first tasks by seq are read from the tasks_by_status
   * index (READ_AHEAD of them, kept for the next dispatches: fromReadAhead). A rank whose tasks span levels is
   * ordered by the formula over its own tasks_by_readiness entries. The candidates of every rank (at most
   * `limit` each) are merged by (effective, seq): one statement for the bounds and one per rank that has
   * pending tasks, two for a dispatch whose pending tasks share a rank (a batch), none while the read-ahead
   * or the held rows answer (a lone exec's). Ordering every pending task on every dispatch cost a read of each
   * of them per slot-full while a batch of a thousand waited. workerd binds every JS number as a REAL, so the
   * CASTs make the division the whole intervals of the formula (effectiveLevel does the same in JavaScript).
   */
  ready(now: number, agingMs: number, limit: number): TaskRow[] {
    const aging = Math.max(1, Math.round(agingMs))
    // Every pending task was seen by an earlier read, each row written since was followed, and all are held (a lone
    // exec's, none at all): ordered here by the same formula, with no read.
    const held = this.memory.pendingRows()
    if (held) return byDispatchOrder(held.map((row) => ({ row, effective: effectiveLevel(row.priority, row.ready_at, now, aging) })), limit)
    const ahead = this.fromReadAhead(now, aging, limit)
    if (ahead) return ahead
    const bounds = this.sql.exec<Record<string, number | null>>(RANK_BOUNDS_SQL).one()
    const candidates: Array<{ row: TaskRow; effective: number }> = []
    const ranks: RankAhead[] = []
    /** Every pending row read; all of them when each rank answered fewer rows than asked. */
    const read: TaskRow[] = []
    let seenAll = true
    let spanning = false
    for (const rank of PRIORITIES.keys()) {
      const oldest = bounds[`oldest_${rank}`]
      const newest = bounds[`newest_${rank}`]
      if (oldest === null || oldest === undefined || newest === null || newest === undefined) continue
      const first = effectiveLevel(rank, oldest, now, aging)
      if (first === effectiveLevel(rank, newest, now, aging)) {
        const asked = Math.max(limit, READ_AHEAD)
        const rows = this.sql.exec<TaskRow>(RANK_BY_SEQ_SQL, rank, asked).toArray()
        for (const row of rows.slice(0, limit)) candidates.push({ row, effective: first })
        ranks.push({ rank, oldest, newest, rows, complete: rows.length < asked })
        read.push(...rows)
        if (rows.length >= asked) seenAll = false
      } else {
        spanning = true
        const rows = this.sql.exec<TaskRow & { effective: number }>(RANK_BY_EFFECTIVE_SQL, now, aging, rank, limit).toArray()
        for (const { effective, ...row } of rows) {
          candidates.push({ row, effective })
          read.push(row)
        }
        if (rows.length >= limit) seenAll = false
      }
    }
    this.memory.pendingSeen(seenAll ? read.map((row) => row.id) : undefined)
    if (seenAll) this.memory.written(read)
    // After the rows are held (a pending row written drops a read-ahead). A rank over several levels is ordered
    // by the formula on every dispatch: nothing is read ahead then.
    this.memory.readAhead(spanning ? undefined : ranks)
    return byDispatchOrder(candidates, limit)
  }

  /**
   * The next tasks from what an earlier read read ahead, while that answers the same: no row has become
   * pending since (any would drop it), and each rank read still has one level at `now` — its oldest and newest
   * pending task then were the bounds of every one still pending, so all of them share that level and go by
   * seq, and the rows held are the first of them. Undefined when a read is needed.
   */
  private fromReadAhead(now: number, aging: number, limit: number): TaskRow[] | undefined {
    const ranks = this.memory.aheadRanks()
    if (!ranks) return undefined
    const candidates: Array<{ row: TaskRow; effective: number }> = []
    for (const { rank, oldest, newest, rows, complete } of ranks) {
      const level = effectiveLevel(rank, oldest, now, aging)
      if (level !== effectiveLevel(rank, newest, now, aging)) return undefined
      if (rows.length < limit && !complete) return undefined
      for (const row of rows.slice(0, limit)) candidates.push({ row, effective: level })
    }
    return byDispatchOrder(candidates, limit)
  }

  dueRetries(now: number): TaskRow[] {
    return this.sql.exec<TaskRow>(`SELECT * FROM tasks WHERE status = 'retry_wait' AND next_attempt_at <= ? ORDER BY seq`, now).toArray()
  }

  /** Waiting tasks whose deadline to start has passed. */
  missedDeadlines(now: number): TaskRow[] {
    return this.sql
      .exec<TaskRow>(`SELECT * FROM tasks WHERE status IN (${WAITING_SQL}) AND deadline_at IS NOT NULL AND deadline_at <= ? ORDER BY seq`, now)
      .toArray()
  }

  /** Parked tasks whose approval has expired by `now`. */
  expiredApprovals(now: number): TaskRow[] {
    return this.sql
      .exec<TaskRow>(`SELECT * FROM tasks WHERE status = 'awaiting_approval' AND approval_expires_at <= ? ORDER BY seq`, now)
      .toArray()
  }

  /** Running tasks past their start-to-close limit. */
  timedOut(now: number): TaskRow[] {
    return this.sql
      .exec<TaskRow>(`SELECT * FROM tasks WHERE status = 'running' AND started_at + timeout_ms <= ? ORDER BY seq`, now)
      .toArray()
  }

  /**
   * Forgets finished tasks (and what they depended on) that ended before `before`; answers their ids and
   * executions (their output blobs and kept WAL seqs go too).
   */
  purgeFinished(before: number): Array<{ id: string; executionId: string }> {
    this.sql.exec(
      `DELETE FROM task_dependencies WHERE task_id IN
         (SELECT id FROM tasks WHERE status IN ('completed', 'failed', 'cancelled') AND finished_at < ?)`,
      before,
    )
    const purged = this.sql
      .exec<{ id: string; execution_id: string }>(
        `DELETE FROM tasks WHERE status IN ('completed', 'failed', 'cancelled') AND finished_at < ? RETURNING id, execution_id`,
        before,
      )
      .toArray()
      .map((row) => ({ id: row.id, executionId: row.execution_id }))
    this.memory.deleted(purged.map((task) => task.id))
    this.sql.exec('DELETE FROM dependency_outcomes WHERE at < ?', before)
    return purged
  }

  /**
   * The earliest time a retry, a deadline, a timeout or an approval's expiry falls due, or (held since the
   * last read, see TaskMemory) a time at or before it: the alarm may come early, never late.
   */
  nextDueAt(now: number): number | undefined {
    return this.memory.dueAt(now, () => this.readNextDueAt())
  }

  private readNextDueAt(): number | undefined {
    const row = this.sql
      .exec<{ at: number | null }>(
        `SELECT MIN(at) AS at FROM (
           SELECT MIN(next_attempt_at) AS at FROM tasks WHERE status = 'retry_wait'
           UNION ALL ${EARLIEST_DEADLINE_SQL}
           UNION ALL SELECT MIN(started_at + timeout_ms) FROM tasks WHERE status = 'running'
           UNION ALL SELECT MIN(approval_expires_at) FROM tasks WHERE status = 'awaiting_approval')`,
      )
      .one()
    return row.at ?? undefined
  }

  /** Rows a statement answered, held (task-memory.ts) and passed on. */
  private held(rows: TaskRow[]): TaskRow[] {
    this.memory.written(rows)
    return rows
  }
}
