/**
 * Dispatch: while the agent is RUNNING and below its concurrency, take the
 * next ready task (queue order, aging included), mark it running in the same
 * transaction as its WAL event, and run the attempt through the tier router
 * without holding up the request that triggered it. A task that missed its
 * deadline to start fails here instead of starting. A fallback to a dearer
 * tier during the attempt is priced against the budget first (spendCheck).
 */
import type { ExecResult, TierSpendCheck } from '../../types/execution'
import { publishCrossings } from './budget/alerts'
import { outcomeOfThrown, recordOutcome, type AttemptOutcome } from './outcome'
import type { AgentRuntime } from './runtime'
import { contextOf, decisionOf, priorityOfRank, requestOf, routeOf, type TaskError, type TaskRow } from './task-record'
import { finishTask } from './task-transitions'
import { spillLargeOutputs } from './output-spill'

export class Dispatcher {
  constructor(
    private readonly rt: AgentRuntime,
    /** Called after an attempt's outcome is recorded (to dispatch more, finish a drain, re-arm the alarm). */
    private readonly afterOutcome: () => void,
  ) {}

  pump(): void {
    const record = this.rt.agent()
    if (!record || record.state !== 'RUNNING') return
    const agingMs = record.config.agingIntervalSeconds * 1000
    for (let free = record.config.maxConcurrency - this.rt.running.size; free > 0; free = record.config.maxConcurrency - this.rt.running.size) {
      const now = this.rt.clock.now()
      // Up to one task per free slot in one read; asked again only when that filled every slot's worth or a
      // missed deadline (which may unblock dependents) changed the queue meanwhile.
      const batch = this.rt.queue.ready(now, agingMs, free)
      let changed = false
      for (const next of batch) {
        if (next.deadline_at !== null && next.deadline_at <= now) {
          this.rt.atomically(() => finishTask(this.rt, next, 'failed', { error: deadlineError(next) }))
          changed = true
        } else this.start(next)
      }
      if (batch.length < free && !changed) return
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

  private start(row: TaskRow): void {
    const rt = this.rt
    const attempt = row.attempts + 1
    const started = rt.atomically(() => {
      const running = rt.queue.update(row.id, { status: 'running', attempts: attempt, started_at: rt.clock.now() })
      const facts = { taskId: row.id, type: row.type, attempt, priority: priorityOfRank(row.priority) }
      rt.walForTask(running, 'task.started', facts)
      rt.emit('task.started', facts)
      return running
    })
    const controller = new AbortController()
    rt.running.set(row.id, { attempt, controller })
    rt.notifyWaiters(row.id)
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
      .then((outcome) => this.settle(row.id, attempt, outcome))
      .catch((error: unknown) => rt.log.error('recording a task outcome failed', { taskId: row.id, error: String(error) }))
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

  private settle(taskId: string, attempt: number, outcome: AttemptOutcome): void {
    const running = this.rt.running.get(taskId)
    // Cancelled, timed out or aborted meanwhile: that path already recorded the attempt.
    if (!running || running.attempt !== attempt) return
    this.rt.running.delete(taskId)
    recordOutcome(this.rt, taskId, outcome)
    this.afterOutcome()
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
