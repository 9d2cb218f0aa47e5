/**
 * Tenant-wide idempotency for work the runtime submits (intents): the first
 * request claims the key in D1 for its target id and agent; every later
 * request with the key gets that claim back, reaches the same agent with the
 * same task key, and the agent returns the task it already has. D1 and the
 * agent's SQLite are both durable, so this holds across restarts.
 */
export interface IdempotencyClaim {
  targetId: string
  agentId: string
  /** False when an earlier request holds the key (this one must not run anew). */
  fresh: boolean
}

interface ClaimRow {
  target_id: string
  agent_id: string
}

export async function claimIdempotencyKey(
  db: D1Database,
  tenantId: string,
  kind: string,
  key: string,
  candidate: { targetId: string; agentId: string },
): Promise<IdempotencyClaim> {
  const [, read] = await db.batch([
    db
      .prepare('INSERT OR IGNORE INTO idempotency_keys (tenant_id, kind, key, target_id, agent_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
      .bind(tenantId, kind, key, candidate.targetId, candidate.agentId, new Date().toISOString()),
    db.prepare('SELECT target_id, agent_id FROM idempotency_keys WHERE tenant_id = ?1 AND kind = ?2 AND key = ?3').bind(tenantId, kind, key),
  ])
  const row = read?.results[0] as ClaimRow | undefined
  if (!row) throw new Error('idempotency claim vanished inside its own transaction')
  return { targetId: row.target_id, agentId: row.agent_id, fresh: row.target_id === candidate.targetId }
}
