/**
 * The record step of the governed path: one attempt's outcome becomes the
 * task's next state per the failure table (failure-policy.ts), its measured
 * compute time is charged to the budgets, and every change reaches the WAL
 * and the status stream. `recordOutcome` is the one place an attempt ends,
 * whether it returned, threw, timed out, was cancelled or was orphaned.
 */
import type { ExecResult, ExecutionTier } from '../../types/execution'
import type { AgentRuntime } from './runtime'
import { publishCrossings } from './budget/alerts'
import { chargeTier } from './budget/tier-usage'
import { costModelFrom, DEFAULT_COST_MODEL, type TierCostModel } from '../execution/route-plan/cost-model'
import { failureKind, failureResponse } from './failure-policy'
import { transitionAgent } from './lifecycle'
import { backoffDelayMs, hasAttemptsLeft } from './retry'
import { retryOf, type TaskError, type TaskRow } from './task-record'
import { finishTask, finishTasks, makeReady, scheduleRetry } from './task-transitions'

/**
 * How an attempt ended: the tier's result when it returned one, and/or the
 * error the task fails with when that is not the result's own (a timeout, a
 * cancel, an eviction). `elapsedMs` is charged when there is no result.
 */
export interface AttemptOutcome {
  result?: ExecResult
  error?: TaskError
  elapsedMs: number
}

/** Weight of the newest attempt in the moving average that estimates a task's compute seconds. */
const ESTIMATE_WEIGHT = 0.2
/**
 * The estimate is kept to this many significant digits, and the agent's row is written only when it changes:
 * a run of like tasks leaves it alone instead of writing it per task. The price: an attempt within about 2.5 %
 * of the estimate (a step smaller than half its last digit) no longer moves it.
 */
const ESTIMATE_DIGITS = 3

function ranOnSandbox(result: ExecResult | undefined): boolean {
  return result !== undefined && (result.tier === 4 || (result.stages ?? []).some((stage) => stage.tier === 4))
}

export function outcomeOfThrown(thrown: unknown, elapsedMs: number): AttemptOutcome {
  const message = thrown instanceof Error ? thrown.message : String(thrown)
  return { error: { code: 'INTERNAL', message: `the attempt failed unexpectedly: ${message}` }, elapsedMs }
}

/** An attempt stopped from outside (timeout, cancel, kill switch, lost heartbeat, eviction). */
export function stoppedOutcome(rt: AgentRuntime, row: TaskRow, error: TaskError): AttemptOutcome {
  return { error, elapsedMs: Math.max(0, rt.clock.now() - (row.started_at ?? rt.clock.now())) }
}

/**
 * Every attempt is charged at least 1 ms: workerd's clock only moves on I/O,
 * so a pure in-memory tier-1 run can measure 0 ms, and free work would make
 * compute budgets unenforceable for floods of tiny tasks.
 */
const MIN_CHARGE_MS = 1

/** The deployment's cost model; a malformed price var must not stop tasks from being recorded, so it falls back loudly. */
function costModelOf(rt: AgentRuntime): TierCostModel {
  try {
    return costModelFrom(rt.env)
  } catch (error) {
    rt.log.warn('the tier cost model is misconfigured; the usage split by tier uses the list prices', { error: String(error) })
    return DEFAULT_COST_MODEL
  }
}

export function recordOutcome(rt: AgentRuntime, taskId: string, outcome: AttemptOutcome): void {
  recordOutcomes(rt, [{ taskId, outcome }])
}

/**
 * Records attempts that ended together (the dispatcher's group) in one
 * transaction: each is charged and moves on by the failure table as if
 * alone; the charges land as one sum per budget and per tier, the completed
 * tasks end with one update (finishTasks).
 */
export function recordOutcomes(rt: AgentRuntime, outcomes: ReadonlyArray<{ taskId: string; outcome: AttemptOutcome }>): void {
  const rows = new Map(rt.queue.getMany(outcomes.map(({ taskId }) => taskId)).map((row) => [row.id, row]))
  const ended = outcomes.flatMap(({ taskId, outcome }) => {
    const row = rows.get(taskId)
    if (!row || row.status !== 'running') return []
    return [{ row, outcome, computeSeconds: Math.max(MIN_CHARGE_MS, outcome.result?.duration ?? outcome.elapsedMs) / 1000 }]
  })
  if (ended.length === 0) return
  const record = rt.store.require()
  const subject = rt.budgetSubject(record)
  rt.atomically(() => {
    const averaged = ended.reduce((previous, { computeSeconds }) => (previous === 0 ? computeSeconds : previous + ESTIMATE_WEIGHT * (computeSeconds - previous)), record.computeEstimateSeconds)
    const estimate = Number(averaged.toPrecision(ESTIMATE_DIGITS))
    const patch = {
      ...(estimate !== record.computeEstimateSeconds ? { computeEstimateSeconds: estimate } : {}),
      ...(!record.usedSandbox && ended.some(({ outcome }) => ranOnSandbox(outcome.result)) ? { usedSandbox: true } : {}),
    }
    if (Object.keys(patch).length > 0) rt.store.update(patch)
    const computeSeconds = ended.reduce((sum, end) => sum + end.computeSeconds, 0)
    publishCrossings(rt, rt.budget.charge(subject, { tokens: 0, computeSeconds, costUsd: 0 }))
    const model = costModelOf(rt)
    const byTier = new Map<ExecutionTier | undefined, number[]>()
    for (const end of ended) byTier.set(end.outcome.result?.tier, [...(byTier.get(end.outcome.result?.tier) ?? []), end.computeSeconds])
    for (const [tier, seconds] of byTier) chargeTier(rt.sql, model, rt.clock.now(), tier, seconds)
    rt.outbound.usageCharged(rt.clock.now())
    const completed = ended.filter(({ outcome }) => outcome.result?.ok && !outcome.error)
    finishTasks(rt, completed.map(({ row, outcome }) => ({ row, status: 'completed' as const, outcome: { ...(outcome.result ? { result: outcome.result } : {}) } })))
    for (const end of ended) if (!completed.includes(end)) applyFailureTable(rt, end.row, end.outcome)
  })
}

function applyFailureTable(rt: AgentRuntime, row: TaskRow, outcome: AttemptOutcome): void {
  const result = outcome.result
  const retry = retryOf(row)
  const attemptsLeft = hasAttemptsLeft(retry, row.attempts)
  const failed: TaskError = outcome.error ?? {
    code: result?.error?.code ?? 'COMMAND_FAILED',
    message: result?.error?.message ?? `exit code ${result?.exitCode ?? 1}`,
  }
  const kind = failureKind(failed.code)
  const retryFailedCommands = retry?.retryOn === 'failed_command'
  // Attempts were left but the policy does not spend them on a command's own failure: say how to change that.
  const error: TaskError =
    kind === 'command_failed' && attemptsLeft && !retryFailedCommands
      ? { ...failed, message: `${failed.message} (not retried: the command ran and failed; set retry.retryOn to "failed_command" to retry it)` }
      : failed
  const withResult = { ...(result ? { result } : {}), error }
  switch (failureResponse(kind, attemptsLeft, retryFailedCommands)) {
    case 'retry':
      scheduleRetry(rt, row, result, error, retry ? backoffDelayMs(retry, row.attempts) : 0)
      return
    case 'suspend':
      if (attemptsLeft) makeReady(rt, row, `${error.code}: kept for after the agent resumes`)
      else finishTask(rt, row, 'failed', withResult)
      if (rt.store.require().state === 'RUNNING') transitionAgent(rt, 'SUSPENDED', `resource exhaustion (${error.code}): ${error.message}`)
      return
    case 'escalate':
      finishTask(rt, row, 'failed', withResult)
      rt.emit('task.escalated', { taskId: row.id, code: error.code, message: error.message })
      return
    case 'cancel':
      finishTask(rt, row, 'cancelled', withResult)
      return
    case 'fail':
      if (kind === 'timeout') rt.log.warn('task attempt timed out and was terminated', { taskId: row.id, attempt: row.attempts })
      finishTask(rt, row, 'failed', withResult)
      return
  }
}
