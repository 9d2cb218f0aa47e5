/**
 * The audit trail of administrative actions (NFR-SEC-3): every change to
 * tenants, tokens, rate limits, policies or kill switches becomes an
 * `admin.action` event in the WAL of record (D1 `wal_packs`, read as `wal_events`), redacted, with
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
import { packStatements, type PackValues } from '../wal/packs'

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


export async function auditAdminAction(db: D1Database, entry: AdminAction): Promise<AuditedAdminAction> {
  const at = new Date().toISOString()
  const data = redact({ action: entry.action, actor: entry.actor, target: entry.target, ...(entry.details ? { details: entry.details } : {}) })
  const tenants = entry.actor.tenantId === entry.tenantId ? [entry.tenantId] : [entry.tenantId, entry.actor.tenantId]
  const executionIds = tenants.map(() => newId('adm'))
  // One WAL pack of one event per tenant (migrations/0008_wal_packs.sql), written before the admin call answers.
  const packs = tenants.map((tenantId, i): PackValues => [
    tenantId,
    executionIds[i] as string,
    1,
    null,
    [[1, 'admin.action', null, null, entry.requestId ?? null, null, entry.traceId, null, data, at]],
    null,
  ])
  await db.batch(packStatements(db, packs))
  return { executionIds, at }
}
