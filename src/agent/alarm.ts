/**
 * The agent's one alarm drives everything that happens with time: retries
 * falling due, deadlines to start, start-to-close timeouts, missed
 * heartbeats, drain timeouts, re-delivery of dependency notifications, and
 * approval expiries (src/agent/approval-expiry.ts, awaited by the alarm handler).
 * `dueWork` does what is due by the clock; `nextWakeAt` says when to come back.
 */
import { stopAllRunning, stopAttempt } from './cancellation'
import { deadlineError, timeoutError, type Dispatcher } from './dispatcher'
import { heartbeatDeadline } from './heartbeat'
import { REDELIVERY_DELAY_MS } from './outbound'
import { failIfHeartbeatsMissed } from './lifecycle'
import type { AgentRuntime } from './runtime'
import { finishTask, makeReady } from './task-transitions'
import { releaseSandbox } from './termination'

export function dueWork(rt: AgentRuntime, dispatcher: Dispatcher): void {
  if (failIfHeartbeatsMissed(rt)) {
    stopAllRunning(rt, dispatcher, { code: 'AGENT_UNHEALTHY', message: 'the agent stopped heartbeating' })
    releaseSandbox(rt)
  }
  const now = rt.clock.now()
  for (const row of rt.queue.timedOut(now)) {
    stopAttempt(rt, dispatcher, row, timeoutError(row.timeout_ms))
  }
  rt.atomically(() => {
    for (const row of rt.queue.missedDeadlines(now)) finishTask(rt, row, 'failed', { error: deadlineError(row) })
    for (const row of rt.queue.dueRetries(now)) makeReady(rt, row, `retry attempt ${row.attempts + 1}`)
  })
}

/** When the alarm should next fire; `undelivered` is hasUndeliveredOutcomes, which the caller has just asked. */
export function nextWakeAt(rt: AgentRuntime, undelivered: boolean): number | undefined {
  const record = rt.agent()
  if (!record) return undefined
  const candidates = [
    rt.queue.nextDueAt(rt.clock.now()),
    heartbeatDeadline(record),
    record.drainDeadlineAt,
    rt.outbound.dueAt(rt.clock.now()),
    undelivered ? rt.clock.now() + REDELIVERY_DELAY_MS : undefined,
  ].filter((at): at is number => at !== undefined)
  return candidates.length > 0 ? Math.min(...candidates) : undefined
}
