/**
 * Ending an agent (FR-LIFE-4). Graceful: no new tasks are accepted, the queue
 * keeps draining (running and queued tasks finish) until it is empty or the
 * drain timeout passes, when what is left is cancelled. Not graceful: running
 * attempts are aborted and queued tasks cancelled at once. Either way the
 * agent's outside resources (its sandbox) are released.
 */
import type { AgentRecord, DrainOutcome } from './agent-store'
import { stopAllRunning } from './cancellation'
import type { Dispatcher } from './dispatcher'
import { beginDrain, endAgent } from './lifecycle'
import { WAITING_STATUSES } from './task-record'
import type { AgentRuntime } from './runtime'
import { finishTask } from './task-transitions'

export interface TerminateOptions {
  graceful: boolean
  drainTimeoutSeconds: number
  outcome: DrainOutcome
}

export function terminate(rt: AgentRuntime, dispatcher: Dispatcher, options: TerminateOptions): AgentRecord {
  if (options.graceful && !isIdle(rt)) {
    return beginDrain(rt, options.outcome, rt.clock.now() + options.drainTimeoutSeconds * 1000)
  }
  const ended = options.graceful
    ? endAgent(rt, options.outcome, 'terminated gracefully')
    : forceEnd(rt, dispatcher, options.outcome, 'terminated without draining')
  releaseAgent(rt)
  return ended
}

/** Ends a draining agent once its queue is empty, or when the drain timeout has passed. */
export function checkDrain(rt: AgentRuntime, dispatcher: Dispatcher): void {
  const record = rt.agent()
  if (!record?.drainOutcome || record.drainDeadlineAt === undefined) return
  const idle = isIdle(rt)
  if (!idle && rt.clock.now() < record.drainDeadlineAt) return
  if (idle) endAgent(rt, record.drainOutcome, 'drained')
  else forceEnd(rt, dispatcher, record.drainOutcome, 'drain timeout passed')
  releaseAgent(rt)
}

function isIdle(rt: AgentRuntime): boolean {
  return rt.running.size === 0 && rt.queue.waitingCount() === 0
}

function forceEnd(rt: AgentRuntime, dispatcher: Dispatcher, outcome: DrainOutcome, reason: string): AgentRecord {
  const error = { code: 'CANCELLED', message: `agent ended: ${reason}` }
  stopAllRunning(rt, dispatcher, error)
  rt.atomically(() => {
    for (const row of rt.queue.withStatus(WAITING_STATUSES)) finishTask(rt, row, 'cancelled', { error })
  })
  return endAgent(rt, outcome, reason)
}

/** Frees what the agent holds outside its object (its tier-4 sandbox), in the background. */
export function releaseSandbox(rt: AgentRuntime): void {
  const record = rt.store.require()
  if (!record.usedSandbox) return
  rt.ctx.waitUntil(
    rt.ports
      .releaseResources(record.tenantId, record.agentId)
      .catch((error: unknown) => rt.log.warn('releasing the agent sandbox failed', { agentId: record.agentId, error: String(error) })),
  )
}

/** An ended agent: free its sandbox and close its status streams (the final events already went out). */
export function releaseAgent(rt: AgentRuntime): void {
  releaseSandbox(rt)
  rt.stream.closeAll(1000, `agent ${rt.store.require().state}`)
}
