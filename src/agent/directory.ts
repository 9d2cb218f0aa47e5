/**
 * The agent directory in D1 (migrations/0004_agents.sql): lists a tenant's
 * agents without waking every object. Each agent writes its own row on every
 * lifecycle transition; the object stays the source of truth.
 */
import type { AgentState } from '../../types/fabric'
import type { AgentRecord } from './agent-store'

export interface DirectoryEntry {
  id: string
  type: string
  model: string
  userId?: string
  state: AgentState
  sessionId: string
  createdAt: string
  updatedAt: string
}

interface DirectoryRow {
  agent_id: string
  type: string
  model: string
  user_id: string | null
  state: AgentState
  session_id: string
  created_at: string
  updated_at: string
}

export async function writeDirectoryEntry(db: D1Database, objectId: string, record: AgentRecord): Promise<void> {
  await db
    .prepare(
      `INSERT INTO agents (tenant_id, agent_id, object_id, type, model, user_id, state, session_id, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
       ON CONFLICT(tenant_id, agent_id) DO UPDATE SET type = excluded.type, model = excluded.model, user_id = excluded.user_id,
         state = excluded.state, session_id = excluded.session_id, updated_at = excluded.updated_at`,
    )
    .bind(
      record.tenantId,
      record.agentId,
      objectId,
      record.config.type,
      record.config.model,
      record.config.userId ?? null,
      record.state,
      record.sessionId,
      new Date(record.createdAt).toISOString(),
      new Date(record.updatedAt).toISOString(),
    )
    .run()
}

export interface DirectoryQuery {
  state?: AgentState
  limit: number
  /** Agent id to continue after (keyset pagination). */
  after?: string
}

export async function listDirectory(db: D1Database, tenantId: string, query: DirectoryQuery): Promise<DirectoryEntry[]> {
  const { results } = await db
    .prepare(
      `SELECT agent_id, type, model, user_id, state, session_id, created_at, updated_at FROM agents
       WHERE tenant_id = ?1 AND (?2 IS NULL OR state = ?2) AND agent_id > ?3 ORDER BY agent_id LIMIT ?4`,
    )
    .bind(tenantId, query.state ?? null, query.after ?? '', query.limit)
    .all<DirectoryRow>()
  return results.map((row) => ({
    id: row.agent_id,
    type: row.type,
    model: row.model,
    state: row.state,
    sessionId: row.session_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.user_id ? { userId: row.user_id } : {}),
  }))
}
