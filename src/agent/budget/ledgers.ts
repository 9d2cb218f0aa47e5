/**
 * Names of budget entities and their ledgers. Entities are written as
 * `agent:<id>`, `user:<id>` and `tenant:<id>`; a ledger (tenant- or
 * user-wide) is the Durable Object named `<tenantId>|<entity>`, so two
 * tenants' users never share one.
 */
import type { Env } from '../../env'
import type { BudgetLedgerDO } from './ledger-do'

export type BudgetEntity = { kind: 'agent' | 'user'; id: string } | { kind: 'tenant'; id: string }

export function entityName(entity: BudgetEntity): string {
  return `${entity.kind}:${entity.id}`
}

export function ledgerStub(env: Env, tenantId: string, entity: BudgetEntity): DurableObjectStub<BudgetLedgerDO> {
  return env.BUDGET_LEDGER.get(env.BUDGET_LEDGER.idFromName(`${tenantId}|${entityName(entity)}`))
}

/** The shared ledgers an agent's usage counts against: its tenant, and its user when it has one. */
export function ledgersOf(tenantId: string, userId: string | undefined): BudgetEntity[] {
  const tenant: BudgetEntity = { kind: 'tenant', id: tenantId }
  return userId ? [tenant, { kind: 'user', id: userId }] : [tenant]
}
