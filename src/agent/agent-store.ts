/**
 * The agent's own row: who it is (tenant, id, config), where it is in its
 * lifecycle, its health and heartbeat, and a pending drain.
 */
import type { AgentConfig, AgentState } from '../../types/fabric'
import { updateRow } from './sql-patch'

export type AgentHealthFlag = 'healthy' | 'unhealthy'
/** What a drain ends in: TERMINATED, or COMPLETED when the agent says its work is done. */
export type DrainOutcome = 'TERMINATED' | 'COMPLETED'

export interface AgentRecord {
  tenantId: string
  agentId: string
  config: AgentConfig
  state: AgentState
  stateReason: string
  sessionId: string
  health: AgentHealthFlag
  lastHeartbeatAt: number
  drainDeadlineAt?: number
  drainOutcome?: DrainOutcome
  createdAt: number
  updatedAt: number
  /** Moving average of compute seconds per attempt: the budget estimate for the next task. */
  computeEstimateSeconds: number
  /** The agent ran something on tier 4, so it has a sandbox to release when it fails or ends. */
  usedSandbox: boolean
}

interface AgentRow {
  tenant_id: string
  agent_id: string
  config: string
  state: AgentState
  state_reason: string
  session_id: string
  health: AgentHealthFlag
  last_heartbeat_at: number
  drain_deadline_at: number | null
  drain_outcome: DrainOutcome | null
  created_at: number
  updated_at: number
  compute_estimate_seconds: number
  used_sandbox: number
  [key: string]: SqlStorageValue
}

function fromRow(row: AgentRow): AgentRecord {
  return {
    tenantId: row.tenant_id,
    agentId: row.agent_id,
    config: JSON.parse(row.config) as AgentConfig,
    state: row.state,
    stateReason: row.state_reason,
    sessionId: row.session_id,
    health: row.health,
    lastHeartbeatAt: row.last_heartbeat_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    computeEstimateSeconds: row.compute_estimate_seconds,
    usedSandbox: row.used_sandbox === 1,
    ...(row.drain_deadline_at !== null ? { drainDeadlineAt: row.drain_deadline_at } : {}),
    ...(row.drain_outcome !== null ? { drainOutcome: row.drain_outcome } : {}),
  }
}

export type AgentPatch = Partial<Omit<AgentRecord, 'tenantId' | 'agentId' | 'createdAt' | 'drainDeadlineAt' | 'drainOutcome'>> & {
  /** null clears a drain. */
  drain?: { deadlineAt: number; outcome: DrainOutcome } | null
}

export class AgentStore {
  /** The row is read on every call; caching it here keeps the hot path to one SQL read per request. */
  private cached: AgentRecord | undefined

  constructor(private readonly sql: SqlStorage) {}

  load(): AgentRecord | undefined {
    if (this.cached) return this.cached
    const row = this.sql.exec<AgentRow>('SELECT * FROM agent WHERE singleton = 1').toArray()[0]
    this.cached = row ? fromRow(row) : undefined
    return this.cached
  }

  create(record: AgentRecord): AgentRecord {
    this.sql.exec(
      `INSERT INTO agent (singleton, tenant_id, agent_id, config, state, state_reason, session_id, health, last_heartbeat_at,
         drain_deadline_at, drain_outcome, created_at, updated_at, compute_estimate_seconds)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)
       ON CONFLICT(singleton) DO UPDATE SET config = excluded.config, state = excluded.state, state_reason = excluded.state_reason,
         session_id = excluded.session_id, health = excluded.health, last_heartbeat_at = excluded.last_heartbeat_at,
         drain_deadline_at = NULL, drain_outcome = NULL, updated_at = excluded.updated_at`,
      record.tenantId,
      record.agentId,
      JSON.stringify(record.config),
      record.state,
      record.stateReason,
      record.sessionId,
      record.health,
      record.lastHeartbeatAt,
      record.createdAt,
      record.updatedAt,
      record.computeEstimateSeconds,
    )
    this.cached = undefined
    return this.require()
  }

  update(patch: AgentPatch): AgentRecord {
    const row = updateRow<AgentRow>(this.sql, 'agent', { column: 'singleton', value: 1 }, {
      config: patch.config !== undefined ? JSON.stringify(patch.config) : undefined,
      state: patch.state,
      state_reason: patch.stateReason,
      session_id: patch.sessionId,
      health: patch.health,
      last_heartbeat_at: patch.lastHeartbeatAt,
      compute_estimate_seconds: patch.computeEstimateSeconds,
      used_sandbox: patch.usedSandbox === undefined ? undefined : patch.usedSandbox ? 1 : 0,
      drain_deadline_at: patch.drain === undefined ? undefined : (patch.drain?.deadlineAt ?? null),
      drain_outcome: patch.drain === undefined ? undefined : (patch.drain?.outcome ?? null),
      updated_at: patch.updatedAt,
    })
    // The updated row itself (an empty patch changed nothing): no read after the write.
    this.cached = row ? fromRow(row) : undefined
    return this.require()
  }

  /** Forget the cached row (after a rolled-back transaction). */
  invalidate(): void {
    this.cached = undefined
  }

  require(): AgentRecord {
    const record = this.load()
    if (!record) throw new Error('agent row missing: the agent was never spawned')
    return record
  }
}
