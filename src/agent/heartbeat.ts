/**
 * Heartbeats and health (FR-LIFE-2/3). A running agent with monitoring on
 * (heartbeatIntervalSeconds > 0) must heartbeat at least once per interval;
 * after `heartbeatMissLimit` intervals without one, the alarm marks it FAILED
 * and cleans up. Health in between is derived, not stored: one missed
 * interval makes it `degraded`.
 */
import type { AgentRecord } from './agent-store'
import { ENDED_AGENT_STATES } from '../../types/fabric'

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy' | 'unmonitored' | 'stopped'

export interface HealthReport {
  status: HealthStatus
  lastHeartbeatAt: string
  missedHeartbeats: number
  heartbeatIntervalSeconds: number
  heartbeatMissLimit: number
}

function intervalMs(record: AgentRecord): number {
  return record.config.heartbeatIntervalSeconds * 1000
}

/** When the agent is declared failed if no heartbeat arrives first; undefined when it is not monitored now. */
export function heartbeatDeadline(record: AgentRecord): number | undefined {
  if (record.state !== 'RUNNING' || intervalMs(record) === 0) return undefined
  return record.lastHeartbeatAt + intervalMs(record) * record.config.heartbeatMissLimit
}

export function missedHeartbeats(record: AgentRecord, now: number): number {
  const interval = intervalMs(record)
  return interval === 0 ? 0 : Math.max(0, Math.floor((now - record.lastHeartbeatAt) / interval))
}

export function healthOf(record: AgentRecord, now: number): HealthReport {
  const missed = missedHeartbeats(record, now)
  let status: HealthStatus
  if (ENDED_AGENT_STATES.includes(record.state)) status = 'stopped'
  else if (record.health === 'unhealthy') status = 'unhealthy'
  else if (intervalMs(record) === 0) status = 'unmonitored'
  else if (record.state !== 'RUNNING') status = 'healthy'
  else status = missed === 0 ? 'healthy' : missed < record.config.heartbeatMissLimit ? 'degraded' : 'unhealthy'
  return {
    status,
    lastHeartbeatAt: new Date(record.lastHeartbeatAt).toISOString(),
    missedHeartbeats: record.state === 'RUNNING' ? missed : 0,
    heartbeatIntervalSeconds: record.config.heartbeatIntervalSeconds,
    heartbeatMissLimit: record.config.heartbeatMissLimit,
  }
}
