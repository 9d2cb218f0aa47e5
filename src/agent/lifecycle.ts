/**
 * Lifecycle operations (FR-LIFE-1..5): spawn, suspend, resume, heartbeat,
 * failure by missed heartbeats, and terminate, graceful with a drain. Each
 * state change goes through `transitionAgent`, which checks the state machine
 * and records the transition in the session history, the WAL, the status
 * stream and the D1 directory.
 */
import { ENDED_AGENT_STATES, type AgentConfig, type AgentState } from '../../types/fabric'
import { FabricError } from '../../types/errors'
import { newId } from '../core/ids'
import { newTrace } from '../core/trace'
import type { AgentPatch, AgentRecord, DrainOutcome } from './agent-store'
import { writeDirectoryEntry } from './directory'
import { healthOf, heartbeatDeadline, missedHeartbeats, type HealthReport } from './heartbeat'
import { assertTransition } from './lifecycle-state'
import type { AgentRuntime } from './runtime'

/** Inside `rt.atomically`: moves the agent to `to` and records why. */
export function transitionAgent(rt: AgentRuntime, to: AgentState, reason: string, patch: AgentPatch = {}): AgentRecord {
  const before = rt.store.require()
  assertTransition(before.state, to)
  const now = rt.clock.now()
  const after = rt.store.update({ ...patch, state: to, stateReason: reason, updatedAt: now })
  rt.history.record(after.sessionId, before.state, to, reason, now)
  const facts = { from: before.state, to, reason }
  rt.wal('state.transition', after.sessionId, newTrace().traceId, facts)
  rt.emit('agent.state', facts)
  rt.afterCommit(() => rt.writeDirectory(() => writeDirectoryEntry(rt.env.DB, rt.ctx.id.toString(), after)))
  return after
}

export function assertAcceptsWork(record: AgentRecord): void {
  if (ENDED_AGENT_STATES.includes(record.state)) {
    throw new FabricError('INVALID_STATE', `agent ${record.agentId} is ${record.state}; spawn it again to give it work`)
  }
  if (record.drainDeadlineAt !== undefined) {
    throw new FabricError('INVALID_STATE', `agent ${record.agentId} is draining before it ends; it takes no new tasks`)
  }
}

/** Spawns a new agent, or a new session of one that ended; the caller writes the directory row. */
export function spawn(rt: AgentRuntime, tenantId: string, config: AgentConfig): AgentRecord {
  const existing = rt.agent()
  if (existing && !ENDED_AGENT_STATES.includes(existing.state) && existing.state !== 'FAILED') {
    throw new FabricError('CONFLICT', `agent ${config.id} already exists (${existing.state}); terminate it first or pick another id`)
  }
  const now = rt.clock.now()
  const sessionId = newId('ses')
  const fresh = { config, sessionId, health: 'healthy' as const, lastHeartbeatAt: now }
  rt.atomically(() => {
    if (existing) {
      rt.store.update({ ...fresh, drain: null })
    } else {
      rt.store.create({
        ...fresh,
        tenantId,
        agentId: config.id,
        state: 'PENDING',
        stateReason: 'created',
        createdAt: now,
        updatedAt: now,
        computeEstimateSeconds: 0,
        usedSandbox: false,
      })
      rt.history.record(sessionId, null, 'PENDING', 'created', now)
    }
    transitionAgent(rt, 'SPAWNING', 'spawn requested')
  })
  return rt.atomically(() => transitionAgent(rt, 'RUNNING', 'spawned'))
}

export function suspend(rt: AgentRuntime, reason: string): AgentRecord {
  return rt.atomically(() => transitionAgent(rt, 'SUSPENDED', reason))
}

export function resume(rt: AgentRuntime): AgentRecord {
  return rt.atomically(() => transitionAgent(rt, 'RUNNING', 'resumed'))
}

export function heartbeat(rt: AgentRuntime): HealthReport {
  const record = rt.store.require()
  if (ENDED_AGENT_STATES.includes(record.state)) {
    throw new FabricError('INVALID_STATE', `agent ${record.agentId} is ${record.state}; spawn it again before it heartbeats`)
  }
  const now = rt.clock.now()
  const after = rt.atomically(() => {
    const beat = rt.store.update({ lastHeartbeatAt: now, health: 'healthy' })
    rt.emit('agent.heartbeat', { at: new Date(now).toISOString() })
    if (record.health !== 'unhealthy') return beat
    rt.emit('agent.health', { status: 'healthy', reason: 'heartbeat received' })
    return beat.state === 'FAILED' ? transitionAgent(rt, 'RUNNING', 'heartbeat resumed') : beat
  })
  return healthOf(after, now)
}

/** The alarm's check: a RUNNING agent past its heartbeat deadline is FAILED. Returns whether it just failed. */
export function failIfHeartbeatsMissed(rt: AgentRuntime): boolean {
  const record = rt.agent()
  const deadline = record ? heartbeatDeadline(record) : undefined
  const now = rt.clock.now()
  if (!record || deadline === undefined || now < deadline) return false
  const missed = missedHeartbeats(record, now)
  rt.atomically(() => {
    transitionAgent(rt, 'FAILED', `missed ${missed} heartbeats (interval ${record.config.heartbeatIntervalSeconds}s)`, {
      health: 'unhealthy',
    })
    rt.emit('agent.health', { status: 'unhealthy', missedHeartbeats: missed })
  })
  rt.log.warn('agent failed: missed heartbeats', { tenantId: record.tenantId, agentId: record.agentId, missed })
  return true
}

export function beginDrain(rt: AgentRuntime, outcome: DrainOutcome, deadlineAt: number): AgentRecord {
  return rt.atomically(() => {
    const draining = rt.store.update({ drain: { deadlineAt, outcome } })
    rt.emit('agent.state', { state: draining.state, draining: true, outcome, drainDeadline: new Date(deadlineAt).toISOString() })
    return draining
  })
}

export function endAgent(rt: AgentRuntime, outcome: DrainOutcome, reason: string): AgentRecord {
  return rt.atomically(() => transitionAgent(rt, outcome, reason, { drain: null }))
}
