/**
 * The leasing contract between an agent and a tenant- or user-wide budget
 * ledger. A ledger never grants more than is left, so admitted work stays
 * within the limit; what can exceed it is only usage reported after the fact
 * beyond a lease (see docs/agents.md, "bounded overspend").
 */
import type { BudgetCrossing, BudgetDimension, BudgetLimits, Usage } from './usage'

/** How long an agent may use a lease before it must come back (and return what it did not use). */
export const LEASE_TTL_MS = 60_000
/** A lease is at least this fraction of the allowance, so an agent does not ask on every task. */
export const LEASE_SLICE_FRACTION = 0.1

export interface LeaseRequest {
  tenantId: string
  entity: string
  /** Who holds the lease: the agent's Durable Object id. */
  holder: string
  /** At least this much of each dimension, if it is left. */
  want: Usage
  /** Usage charged against the previous lease that the ledger has not heard of yet. */
  unsettled: Usage
}

export interface LeaseGrant {
  /** Granted per limited dimension; a dimension absent here is unlimited. */
  grant: Partial<Usage>
  /** The ledger's limited dimensions whose allowance is already used up. */
  exhausted: BudgetDimension[]
  /** How long the holder may use the lease, from when it receives it (each side keeps time by its own clock). */
  ttlMs: number
  crossings: BudgetCrossing[]
}

export interface SettleRequest {
  tenantId: string
  entity: string
  holder: string
  used: Usage
}

export interface LedgerConfigRequest {
  tenantId: string
  entity: string
  limits: BudgetLimits
}
