/**
 * Dispatch: while the agent is RUNNING and below its concurrency, take the
 * next ready tasks for the free slots (queue order, aging included), mark
 * them running in one transaction with their WAL events, and run the
 * attempts through the tier router without holding up the request that
 * triggered them. A task that missed its deadline to start fails here
 * instead of starting. A fallback to a dearer tier during the attempt is
 * priced against the budget first (spendCheck). Attempts that end together
 * are recorded together (settle), so a batch of short tasks costs one
 * transaction and one kick per slot-full rather than per task.
 */
import type { ExecResult, TierSpendCheck } from '../../types/execution'
import { publishCrossings } from './budget/alerts'
import { outcomeOfThrown, recordOutcome, recordOutcomes, type AttemptOutcome } from './outcome'
import type { AgentRuntime } from './runtime'
import { contextOf, decisionOf, priorityOfRank, requestOf, routeOf, type TaskError, type TaskRow } from './task-record'
import { finishTask } from './task-transitions'
import { spillLargeOutputs } from './output-spill'

/** Attempts recorded back to back before dispatch lets other requests to the agent in (see recordSettled). */
const YIELD_EVERY_TASKS = 64

export class Dispatcher {
  /** Attempts that ended and wait to be recorded with the others ending with them (settle). */
  private settled: Array<{ taskId: string; attempt: number; outcome: AttemptOutcome }> = []
  private recordTimer: ReturnType<typeof setTimeout> | undefined
  private kickTimer: ReturnType<typeof setTimeout> | undefined
  private recordedSinceYield = 0

  constructor(
    private readonly rt: AgentRuntime,
    /** Called after an attempt's outcome is recorded (to dispatch more, finish a drain, re-arm the alarm). */
    private readonly afterOutcome: () => void,
  ) {}

  pump(): void {
    const record = this.rt.agent()
    if (!record || record.state !== 'RUNNING') return
    const agingMs = record.config.agingIntervalSeconds * 1000
    // Counted here rather than from `running`: inside a transaction the attempts start only once it commits.
    let free = record.config.maxConcurrency - this.rt.running.size
    for (;;) {
      if (free <= 0) return
      const now = this.rt.clock.now()
      // One query for every free slot: a batch's tasks start a slot-full at a time, not one query each.
      const ready = this.rt.queue.ready(now, agingMs, free)
      const late = ready.filter((row) => row.deadline_at !== null && row.deadline_at <= now)
      if (late.length > 0) this.rt.atomically(() => late.forEach((row) => finishTask(this.rt, row, 'failed', { error: deadlineError(row) })))
      free -= this.start(ready.filter((row) => !late.includes(row)))
      // Slots a late task left free go to the next ready tasks; every round fails one or more, so this ends.
      if (late.length === 0) return
    }
  }

  /** Stops a running attempt; a result that arrives later is ignored. Returns whether one was running here. */
  abort(taskId: string, reason: string): boolean {
    const running = this.rt.running.get(taskId)
    if (!running) return false
    this.rt.running.delete(taskId)
    running.controller.abort(new Error(reason))
    return true
  }

  /**
   * Marks the tasks running in one transaction (their WAL and stream events together) and runs each attempt
   * once it has committed (at once outside a surrounding transaction); answers how many started.
   */
  private start(rows: readonly TaskRow[]): number {
    if (rows.length === 0) return 0
    const rt = this.rt
    return rt.atomically(() => {
      const running = rt.queue.markRunning(rows.map((row) => row.id), rt.clock.now())
      const facts = running.map((row) => ({ taskId: row.id, type: row.type, attempt: row.attempts, priority: priorityOfRank(row.priority) }))
      rt.walForTasks(running.map((row, i) => ({ row, type: 'task.started', data: facts[i] ?? {}, emit: 'task.started' })))
      rt.afterCommit(() => running.forEach((row) => this.run(row)))
      return running.length
    })
  }

  private run(started: TaskRow): void {
    const rt = this.rt
    const attempt = started.attempts
    const controller = new AbortController()
    rt.running.set(started.id, { attempt, controller })
    rt.notifyWaiters(started.id)
    const startedAt = performance.now()
    // The result records the route admission planned (the WAL keeps it with the outcome); a line that did not parse has none.
    const route = routeOf(started)
    rt.ports
      .runWork(contextOf(started), requestOf(started), rt.env, controller.signal, decisionOf(started), this.spendCheck)
      .then(
        (result): AttemptOutcome => overrun(route ? { ...result, route } : result, performance.now() - startedAt, started.timeout_ms),
        (thrown: unknown) => outcomeOfThrown(thrown, performance.now() - startedAt),
      )
      .then((outcome) => this.spill(started, outcome))
      .then((outcome) => this.settle(started.id, attempt, outcome))
      .catch((error: unknown) => rt.log.error('recording a task outcome failed', { taskId: started.id, error: String(error) }))
  }

  /** Large stdout/stderr go to R2 before the outcome is recorded (output-spill.ts); if R2 fails, the row keeps a truncated head. */
  private async spill(row: TaskRow, outcome: AttemptOutcome): Promise<AttemptOutcome> {
    if (!outcome.result) return outcome
    try {
      return { ...outcome, result: await spillLargeOutputs(this.rt.env.FILES, contextOf(row).tenantId, row.id, outcome.result) }
    } catch (error) {
      this.rt.log.warn('spilling a large result to R2 failed; the task keeps its head, marked truncated', { taskId: row.id, error: String(error) })
      return outcome
    }
  }

  /**
   * A run-time fallback to a dearer tier (tier 1 NOT_SUPPORTED → tier 4) is
   * admitted like a task: the tier's estimate against the agent's, user's and
   * tenant's remaining budgets, BUDGET_EXCEEDED when one cannot pay it.
   */
  private readonly spendCheck: TierSpendCheck = async (_tier, estimateUsd) => {
    const subject = this.rt.budgetSubject(this.rt.store.require())
    publishCrossings(this.rt, await this.rt.budget.admit(subject, { tokens: 0, computeSeconds: 0, costUsd: estimateUsd }))
  }

  /**
   * Outcomes are recorded in groups: when every running attempt has settled
   * (a lone task: at once), or else on the next turn of the event loop, so
   * attempts that end together share one transaction and one kick (dispatch,
   * alarm) instead of one each; one waiting on I/O does not hold the others.
   */
  private settle(taskId: string, attempt: number, outcome: AttemptOutcome): void {
    this.settled.push({ taskId, attempt, outcome })
    if (this.settled.length >= this.rt.running.size) this.recordSettled()
    else this.recordTimer ??= setTimeout(() => this.recordSettled(), 0)
  }

  private recordSettled(): void {
    if (this.recordTimer !== undefined) clearTimeout(this.recordTimer)
    this.recordTimer = undefined
    // Cancelled, timed out or aborted meanwhile: that path already recorded the attempt.
    const current = this.settled.filter(({ taskId, attempt }) => this.rt.running.get(taskId)?.attempt === attempt)
    this.settled = []
    if (current.length === 0) return
    for (const { taskId } of current) this.rt.running.delete(taskId)
    // Until a yield is due, the slots these attempts free are filled in the same transaction that records them.
    const startNext = this.recordedSinceYield + current.length < YIELD_EVERY_TASKS
    try {
      this.rt.atomically(() => {
        recordOutcomes(this.rt, current)
        if (startNext) this.pump()
      })
    } catch {
      // One outcome failed to record: the group rolled back, so each is recorded alone and only that one is lost.
      for (const { taskId, outcome } of current) {
        try {
          recordOutcome(this.rt, taskId, outcome)
        } catch (error) {
          this.rt.log.error('recording a task outcome failed', { taskId, error: String(error) })
        }
      }
    }
    // Every YIELD_EVERY_TASKS recorded, the next slot-full starts on the next turn of the event loop: a batch of
    // in-memory tasks would otherwise run start to finish in one turn, and other requests to this agent (a kill
    // switch push, a status read, the batch's own answer) would wait for all of it. Not after every group: a turn
    // costs about as much as the tasks it lets through.
    this.recordedSinceYield += current.length
    if (this.recordedSinceYield < YIELD_EVERY_TASKS) {
      this.afterOutcome()
      return
    }
    this.kickTimer ??= setTimeout(() => {
      this.kickTimer = undefined
      this.recordedSinceYield = 0
      this.afterOutcome()
    }, 0)
  }
}

/**
 * An attempt that failed after running past its start-to-close limit failed
 * by timing out, whatever the tier reported last (a tier's own timeout may
 * have been followed by a fallback to another tier that failed differently).
 */
function overrun(result: ExecResult, elapsedMs: number, timeoutMs: number): AttemptOutcome {
  if (result.ok || elapsedMs < timeoutMs) return { result, elapsedMs }
  return { result, elapsedMs, error: timeoutError(timeoutMs) }
}

export function timeoutError(timeoutMs: number): TaskError {
  return { code: 'TIMEOUT', message: `the attempt ran longer than its ${timeoutMs / 1000}s timeout` }
}

export function deadlineError(row: TaskRow): TaskError {
  const deadline = new Date(row.deadline_at ?? 0).toISOString()
  return { code: 'DEADLINE_EXCEEDED', message: `the task had not started by its deadline ${deadline}` }
}
