/**
 * The record step of the governed path: one attempt's outcome becomes the
 * task's next state per the failure table (failure-policy.ts), its measured
 * compute time is charged to the budgets, and every change reaches the WAL
 * and the status stream. `recordOutcome` is the one place an attempt ends,
 * whether it returned, threw, timed out, was cancelled or was orphaned.
 */
import type { ExecResult } from '../../types/execution'
import type { AgentRuntime } from './runtime'
import { publishCrossings } from './budget/alerts'
import { chargeTier } from './budget/tier-usage'
import { costModelFrom, DEFAULT_COST_MODEL, type TierCostModel } from '../execution/route-plan/cost-model'
import { failureKind, failureResponse } from './failure-policy'
import { transitionAgent } from './lifecycle'
import { backoffDelayMs, hasAttemptsLeft } from './retry'
import { retryOf, type TaskError, type TaskRow } from './task-record'
import { finishTask, makeReady, scheduleRetry } from './task-transitions'

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
  const row = rt.queue.get(taskId)
  if (!row || row.status !== 'running') return
  const record = rt.store.require()
  const subject = rt.budgetSubject(record)
  const computeSeconds = Math.max(MIN_CHARGE_MS, outcome.result?.duration ?? outcome.elapsedMs) / 1000
  rt.atomically(() => {
    const previous = record.computeEstimateSeconds
    rt.store.update({
      computeEstimateSeconds: previous === 0 ? computeSeconds : previous + ESTIMATE_WEIGHT * (computeSeconds - previous),
      ...(ranOnSandbox(outcome.result) ? { usedSandbox: true } : {}),
    })
    publishCrossings(rt, rt.budget.charge(subject, { tokens: 0, computeSeconds, costUsd: 0 }))
    chargeTier(rt.sql, costModelOf(rt), rt.clock.now(), outcome.result?.tier, computeSeconds)
    rt.outbound.usageCharged(rt.clock.now())
    if (outcome.result?.ok && !outcome.error) {
      finishTask(rt, row, 'completed', { result: outcome.result })
      return
    }
    applyFailureTable(rt, row, outcome)
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
