/** What GET /v1/agents/:id reports: lifecycle, health, queue, drain and recent session history. */
import type { AgentConfig, AgentState, TaskStatus } from '../../types/fabric'
import type { AgentRecord } from './agent-store'
import { healthOf, type HealthReport } from './heartbeat'
import type { SessionEntry } from './lifecycle-state'
import type { AgentRuntime } from './runtime'

const HISTORY_SHOWN = 20

export interface AgentInfo {
  id: string
  state: AgentState
  stateReason: string
  sessionId: string
  health: HealthReport
  config: AgentConfig
  queue: { depth: number; running: number; byStatus: Partial<Record<TaskStatus, number>> }
  draining?: { outcome: string; deadline: string }
  createdAt: string
  updatedAt: string
  history: SessionEntry[]
}

export function agentInfo(rt: AgentRuntime, record: AgentRecord): AgentInfo {
  const byStatus: Partial<Record<TaskStatus, number>> = {}
  for (const row of rt.sql.exec<{ status: TaskStatus; n: number }>('SELECT status, COUNT(*) AS n FROM tasks GROUP BY status')) {
    byStatus[row.status] = row.n
  }
  return {
    id: record.agentId,
    state: record.state,
    stateReason: record.stateReason,
    sessionId: record.sessionId,
    health: healthOf(record, rt.clock.now()),
    config: record.config,
    queue: { depth: rt.queue.waitingCount(), running: byStatus.running ?? 0, byStatus },
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    history: rt.history.recent(HISTORY_SHOWN),
    ...(record.drainOutcome && record.drainDeadlineAt !== undefined
      ? { draining: { outcome: record.drainOutcome, deadline: new Date(record.drainDeadlineAt).toISOString() } }
      : {}),
  }
}
