/**
 * Policies in D1, and the compiled set each isolate keeps per tenant.
 *
 * No stale cache: every write bumps the tenant's `policy_state.version` in the
 * same D1 batch, and every decision reads that version (one indexed point
 * read) before using its compiled set; a mismatch recompiles from a
 * consistent snapshot (version and policies read in one batch). So
 * `PUT /v1/policies/:id` takes effect on the very next decision in every
 * isolate, and a loaded check is a version read plus a microsecond scan.
 */
import { RecentValues } from '../core/recent-values'
import { z } from '@hono/zod-openapi'
import type { PolicyEffect } from '../../types/fabric'
import { FabricError } from '../../types/errors'
import { compilePolicySet, type CompiledPolicySet, type ParsedPolicy } from './policy-engine'
import { PolicyEffectSchema, PolicyRuleSchema, type PolicyBody } from './policy-schema'

/** Used when neither the tenant nor the deployment set a default: fail closed. */
export const FALLBACK_DEFAULT_EFFECT: PolicyEffect = 'deny'
const MAX_CACHED_TENANTS = 1000

interface PolicyRow {
  id: string
  tenant_id: string
  scope_level: ParsedPolicy['scope']['level']
  scope_id: string
  priority: number
  rules: string
  updated_at: string
}

interface StateRow {
  version: number
  default_effect: PolicyEffect | null
}

export interface StoredPolicy extends ParsedPolicy {
  updatedAt: string
}

const RulesSchema = z.array(PolicyRuleSchema)

function toPolicy(row: PolicyRow): StoredPolicy {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    scope: { level: row.scope_level, id: row.scope_id },
    priority: row.priority,
    rules: RulesSchema.parse(JSON.parse(row.rules)),
    updatedAt: row.updated_at,
  }
}

const BUMP_VERSION = `INSERT INTO policy_state (tenant_id, version) VALUES (?1, 1)
  ON CONFLICT(tenant_id) DO UPDATE SET version = version + 1`

export class PolicyStore {
  private static readonly compiled = new RecentValues<CompiledPolicySet>(MAX_CACHED_TENANTS)

  constructor(
    private readonly db: D1Database,
    /** The deployment's default (env POLICY_DEFAULT_EFFECT) for tenants that set none. */
    private readonly deploymentDefault: PolicyEffect = FALLBACK_DEFAULT_EFFECT,
  ) {}

  /** The deployment default is part of the key: a set compiled under one default is wrong under another. */
  private cacheKey(tenantId: string): string {
    return `${this.deploymentDefault}\u0000${tenantId}`
  }

  /** The tenant's compiled set, current as of this call. */
  async current(tenantId: string): Promise<CompiledPolicySet> {
    const cached = PolicyStore.compiled.get(this.cacheKey(tenantId))
    // Nothing compiled yet: the reload reads the version itself, in the same batch as the policies.
    if (!cached) return this.reload(tenantId)
    const state = await this.db
      .prepare('SELECT version, default_effect FROM policy_state WHERE tenant_id = ?1')
      .bind(tenantId)
      .first<StateRow>()
    if (cached.version === (state?.version ?? 0)) return cached
    return this.reload(tenantId)
  }

  private async reload(tenantId: string): Promise<CompiledPolicySet> {
    const [stateResult, policyResult] = await this.db.batch([
      this.db.prepare('SELECT version, default_effect FROM policy_state WHERE tenant_id = ?1').bind(tenantId),
      this.db.prepare('SELECT * FROM policies WHERE tenant_id = ?1 ORDER BY id').bind(tenantId),
    ])
    const state = (stateResult?.results[0] as StateRow | undefined) ?? { version: 0, default_effect: null }
    const policies = ((policyResult?.results ?? []) as PolicyRow[]).map(toPolicy)
    const set = compilePolicySet(policies, {
      version: state.version,
      defaultEffect: state.default_effect ?? this.deploymentDefault,
    })
    const key = this.cacheKey(tenantId)
    PolicyStore.compiled.set(key, set)
    return set
  }

  async put(tenantId: string, id: string, body: PolicyBody): Promise<{ policy: StoredPolicy; created: boolean }> {
    const now = new Date().toISOString()
    const scopeId = body.scope.level === 'tenant' ? tenantId : (body.scope.id as string)
    const existing = await this.get(tenantId, id)
    await this.db.batch([
      this.db
        .prepare(
          `INSERT INTO policies (tenant_id, id, scope_level, scope_id, priority, rules, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
           ON CONFLICT(tenant_id, id) DO UPDATE SET scope_level = ?3, scope_id = ?4, priority = ?5, rules = ?6, updated_at = ?7`,
        )
        .bind(tenantId, id, body.scope.level, scopeId, body.priority, JSON.stringify(body.rules), now),
      this.db.prepare(BUMP_VERSION).bind(tenantId),
    ])
    const policy: StoredPolicy = { id, tenantId, scope: { level: body.scope.level, id: scopeId }, priority: body.priority, rules: body.rules, updatedAt: now }
    return { policy, created: existing === undefined }
  }

  async get(tenantId: string, id: string): Promise<StoredPolicy | undefined> {
    const row = await this.db.prepare('SELECT * FROM policies WHERE tenant_id = ?1 AND id = ?2').bind(tenantId, id).first<PolicyRow>()
    return row ? toPolicy(row) : undefined
  }

  async list(tenantId: string): Promise<StoredPolicy[]> {
    const { results } = await this.db.prepare('SELECT * FROM policies WHERE tenant_id = ?1 ORDER BY id').bind(tenantId).all<PolicyRow>()
    return results.map(toPolicy)
  }

  async delete(tenantId: string, id: string): Promise<void> {
    const [deleted] = await this.db.batch([
      this.db.prepare('DELETE FROM policies WHERE tenant_id = ?1 AND id = ?2').bind(tenantId, id),
      this.db.prepare(BUMP_VERSION).bind(tenantId),
    ])
    if (!deleted?.meta.changes) {
      throw new FabricError('NOT_FOUND', `no policy "${id}" in this tenant; GET /v1/policies lists them`)
    }
  }

  async defaultEffect(tenantId: string): Promise<PolicyEffect> {
    return (await this.current(tenantId)).defaultEffect
  }

  async setDefaultEffect(tenantId: string, effect: PolicyEffect): Promise<void> {
    PolicyEffectSchema.parse(effect)
    await this.db
      .prepare(
        `INSERT INTO policy_state (tenant_id, version, default_effect) VALUES (?1, 1, ?2)
         ON CONFLICT(tenant_id) DO UPDATE SET version = version + 1, default_effect = ?2`,
      )
      .bind(tenantId, effect)
      .run()
  }
}
