/**
 * The audit trail of administrative actions (NFR-SEC-3): every change to
 * tenants, tokens, rate limits, policies or kill switches becomes an
 * `admin.action` event in the WAL of record (D1 `wal_events`), redacted, with
 * who did it (tenant and token id — never the token), what, to which target,
 * when, and the request's trace. The event goes into the affected tenant's
 * WAL, and also into the actor's when an operator acts on another tenant, so
 * each side can read it back through `GET /v1/wal?type=admin.action`.
 *
 * Admin actions are not executions of an agent, so they do not pass through an
 * agent Durable Object's outbox: each is its own one-event execution
 * (`adm_…`, seq 1), written straight to D1 before the route answers.
 */
import { newId } from '../core/ids'
import { redact } from './redact'

export type AdminActionName =
  | 'tenant.create'
  | 'tenant.rate_limit'
  | 'tenant.ceilings'
  | 'token.issue'
  | 'token.rotate'
  | 'token.revoke'
  | 'policy.put'
  | 'policy.delete'
  | 'killswitch.set'
  | 'approval.decide'
  | 'budget.put'
  | 'module.upload'

export interface AdminAction {
  action: AdminActionName
  /** Who: the caller's tenant and token id. */
  actor: { tenantId: string; tokenId: string }
  /** The tenant whose state changed. */
  tenantId: string
  /** What inside it, e.g. `{ tokenId }` or `{ policyId }`. */
  target: Record<string, string>
  traceId: string
  requestId?: string
  /** Anything else worth keeping (new scopes, limits, reason); redacted before it is stored. */
  details?: Record<string, unknown>
}

export interface AuditedAdminAction {
  executionIds: string[]
  at: string
}

const INSERT = `INSERT INTO wal_events (execution_id, seq, type, tenant_id, correlation_id, trace_id, data, at)
  VALUES (?1, 1, 'admin.action', ?2, ?3, ?4, ?5, ?6)`

export async function auditAdminAction(db: D1Database, entry: AdminAction): Promise<AuditedAdminAction> {
  const at = new Date().toISOString()
  const data = JSON.stringify(
    redact({ action: entry.action, actor: entry.actor, target: entry.target, ...(entry.details ? { details: entry.details } : {}) }),
  )
  const tenants = entry.actor.tenantId === entry.tenantId ? [entry.tenantId] : [entry.tenantId, entry.actor.tenantId]
  const executionIds = tenants.map(() => newId('adm'))
  await db.batch(tenants.map((tenantId, i) => db.prepare(INSERT).bind(executionIds[i], tenantId, entry.requestId ?? null, entry.traceId, data, at)))
  return { executionIds, at }
}
