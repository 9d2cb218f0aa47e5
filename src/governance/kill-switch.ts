/**
 * Kill switches (seed 003), per agent, per tenant or global, stored in D1 and
 * read on every acceptance (no cache: a switch thrown now refuses the next
 * request in every isolate). Reading fails closed: if the state cannot be
 * read, the caller is refused.
 */
import { FabricError } from '../../types/errors'

export type KillTarget = { scope: 'global' } | { scope: 'tenant'; tenantId: string } | { scope: 'agent'; tenantId: string; agentId: string }

export interface KillSwitchState {
  scope: KillTarget['scope']
  tenantId?: string
  agentId?: string
  active: boolean
  reason: string
  changedBy: string
  changedAt: string
}

interface KillRow {
  scope: KillTarget['scope']
  tenant_id: string
  agent_id: string
  active: number
  reason: string
  changed_by: string
  changed_at: string
}

function toState(row: KillRow): KillSwitchState {
  return {
    scope: row.scope,
    active: row.active === 1,
    reason: row.reason,
    changedBy: row.changed_by,
    changedAt: row.changed_at,
    ...(row.tenant_id ? { tenantId: row.tenant_id } : {}),
    ...(row.agent_id ? { agentId: row.agent_id } : {}),
  }
}

function keyOf(target: KillTarget): [string, string, string] {
  switch (target.scope) {
    case 'global':
      return ['global', '', '']
    case 'tenant':
      return ['tenant', target.tenantId, '']
    case 'agent':
      return ['agent', target.tenantId, target.agentId]
  }
}

export class KillSwitchStore {
  constructor(private readonly db: D1Database) {}

  /** The widest active switch covering this tenant/agent, if any (global before tenant before agent). */
  async activeFor(tenantId: string, agentId?: string): Promise<KillSwitchState | undefined> {
    let row: KillRow | null
    try {
      row = await this.db
        .prepare(
          `SELECT * FROM kill_switches WHERE active = 1 AND (
             scope = 'global' OR (scope = 'tenant' AND tenant_id = ?1) OR (scope = 'agent' AND tenant_id = ?1 AND agent_id = ?2))
           ORDER BY CASE scope WHEN 'global' THEN 0 WHEN 'tenant' THEN 1 ELSE 2 END LIMIT 1`,
        )
        .bind(tenantId, agentId ?? '')
        .first<KillRow>()
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', msg: 'kill switch state unreadable; refusing', error: error instanceof Error ? error.message : String(error) }))
      throw new FabricError('INTERNAL', 'could not read the kill switch state, so the request is refused (fail closed); retry shortly')
    }
    return row ? toState(row) : undefined
  }

  async assertNotKilled(tenantId: string, agentId?: string): Promise<void> {
    const active = await this.activeFor(tenantId, agentId)
    if (!active) return
    const what = active.scope === 'global' ? 'the global kill switch' : active.scope === 'tenant' ? `the kill switch of tenant ${tenantId}` : `the kill switch of agent ${agentId}`
    throw new FabricError('KILL_SWITCH', `${what} is active (${active.reason}); nothing runs until it is lifted with POST /v1/killswitch {"active": false}`, {
      scope: active.scope,
      reason: active.reason,
      since: active.changedAt,
    })
  }

  async set(target: KillTarget, active: boolean, reason: string, changedBy: string): Promise<KillSwitchState> {
    const [scope, tenantId, agentId] = keyOf(target)
    const changedAt = new Date().toISOString()
    await this.db
      .prepare(
        `INSERT INTO kill_switches (scope, tenant_id, agent_id, active, reason, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(scope, tenant_id, agent_id) DO UPDATE SET active = ?4, reason = ?5, changed_by = ?6, changed_at = ?7`,
      )
      .bind(scope, tenantId, agentId, active ? 1 : 0, reason, changedBy, changedAt)
      .run()
    return toState({ scope: scope as KillTarget['scope'], tenant_id: tenantId, agent_id: agentId, active: active ? 1 : 0, reason, changed_by: changedBy, changed_at: changedAt })
  }

  /** Switches a tenant can see: the global one and its own. */
  async list(tenantId: string): Promise<KillSwitchState[]> {
    const { results } = await this.db
      .prepare(`SELECT * FROM kill_switches WHERE scope = 'global' OR tenant_id = ?1 ORDER BY scope, agent_id`)
      .bind(tenantId)
      .all<KillRow>()
    return results.map(toState)
  }
}
