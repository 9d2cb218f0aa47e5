/**
 * BudgetLedgerDO: one per tenant and per user, holding the limits and usage
 * that must hold across many agents. Agents lease slices of what is left
 * instead of asking on every task; the sum of live leases never exceeds the
 * allowance, so a tenant limit holds however many agents share it.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../../env'
import { systemClock, type Clock } from '../clock'
import { applyMigrations } from '../../core/storage-migrations'
import { BUDGET_ACCOUNT_DDL, BudgetAccount, type UsageReport } from './account'
import {
  LEASE_SLICE_FRACTION,
  LEASE_TTL_MS,
  type LeaseGrant,
  type LeaseRequest,
  type LedgerConfigRequest,
  type SettleRequest,
} from './lease-terms'
import { BUDGET_DIMENSIONS, isZeroUsage, ZERO_USAGE, type BudgetCrossing, type BudgetLimits, type Usage } from './usage'
import { agentStubById } from '../router'

const LEDGER_MIGRATIONS = [
  [
    `CREATE TABLE ledger_config (
      singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
      limits      TEXT NOT NULL,
      updated_at  INTEGER NOT NULL
    )`,
    `CREATE TABLE leases (
      holder           TEXT PRIMARY KEY,
      tokens           REAL NOT NULL,
      compute_seconds  REAL NOT NULL,
      cost_usd         REAL NOT NULL,
      expires_at       INTEGER NOT NULL
    )`,
    ...BUDGET_ACCOUNT_DDL,
  ],
]

export const UNLIMITED: BudgetLimits = Object.freeze({ max: {}, alertThresholdPercent: 80, period: 'reset' })

interface LeaseRow {
  holder: string
  tokens: number
  compute_seconds: number
  cost_usd: number
  expires_at: number
  [key: string]: SqlStorageValue
}

function reservedOf(row: LeaseRow): Usage {
  return { tokens: row.tokens, computeSeconds: row.compute_seconds, costUsd: row.cost_usd }
}

export class BudgetLedgerDO extends DurableObject<Env> {
  /** Replaced in tests to move time. */
  clock: Clock = systemClock

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    applyMigrations(ctx.storage, LEDGER_MIGRATIONS)
  }

  configure(request: LedgerConfigRequest): BudgetLimits {
    this.ctx.storage.sql.exec(
      `INSERT INTO ledger_config (singleton, limits, updated_at) VALUES (1, ?, ?)
       ON CONFLICT(singleton) DO UPDATE SET limits = excluded.limits, updated_at = excluded.updated_at`,
      JSON.stringify(request.limits),
      this.clock.now(),
    )
    return request.limits
  }

  limits(): BudgetLimits {
    const row = this.ctx.storage.sql.exec<{ limits: string }>('SELECT limits FROM ledger_config').toArray()[0]
    return row ? (JSON.parse(row.limits) as BudgetLimits) : UNLIMITED
  }

  /** Settles the holder's unreported usage, returns its old lease and grants a new one from what is left. */
  async acquire(request: LeaseRequest): Promise<LeaseGrant> {
    const lease = this.ctx.storage.transactionSync(() => {
      const limits = this.limits()
      const account = this.account(request.entity)
      const crossings = this.charge(account, limits, request.holder, request.unsettled)
      const now = this.clock.now()
      const others = this.ctx.storage.sql
        .exec<LeaseRow>('SELECT * FROM leases WHERE holder != ? AND expires_at > ?', request.holder, now)
        .toArray()
        .map(reservedOf)
      const used = account.used(limits)
      const allowance = account.allowance(limits)
      const grant: Partial<Usage> = {}
      const reserved: Usage = { tokens: 0, computeSeconds: 0, costUsd: 0 }
      for (const dimension of BUDGET_DIMENSIONS) {
        const total = allowance[dimension]
        if (total === undefined) continue
        const leasedToOthers = others.reduce((sum, lease) => sum + lease[dimension], 0)
        const left = Math.max(0, total - used[dimension] - leasedToOthers)
        const slice = Math.max(request.want[dimension], total * LEASE_SLICE_FRACTION)
        grant[dimension] = Math.min(left, slice)
        reserved[dimension] = grant[dimension]
      }
      const expiresAt = now + LEASE_TTL_MS
      this.ctx.storage.sql.exec(
        `INSERT INTO leases (holder, tokens, compute_seconds, cost_usd, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(holder) DO UPDATE SET tokens = excluded.tokens, compute_seconds = excluded.compute_seconds,
           cost_usd = excluded.cost_usd, expires_at = excluded.expires_at`,
        request.holder,
        reserved.tokens,
        reserved.computeSeconds,
        reserved.costUsd,
        expiresAt,
      )
      const exhausted = BUDGET_DIMENSIONS.filter((d) => allowance[d] !== undefined && used[d] >= (allowance[d] as number))
      return { grant, exhausted, ttlMs: LEASE_TTL_MS, crossings }
    })
    if (lease.exhausted.length > 0) await this.recallLeases(request.entity, request.holder)
    return lease
  }

  /** Usage a holder charged against its lease; shrinks its reservation by as much. */
  async settle(request: SettleRequest): Promise<BudgetCrossing[]> {
    const limits = this.limits()
    const account = this.account(request.entity)
    const crossings = this.ctx.storage.transactionSync(() => this.charge(account, limits, request.holder, request.used))
    if (account.refusal(limits, ZERO_USAGE)) await this.recallLeases(request.entity, request.holder)
    return crossings
  }

  report(entity: string): UsageReport {
    return this.account(entity).report(this.limits())
  }

  /**
   * The allowance is used up: other holders' live leases are withdrawn (their
   * reservations released, the agents told to ask again), so they stop
   * admitting work now instead of when their lease would have expired.
   */
  private async recallLeases(entity: string, except: string): Promise<void> {
    const now = this.clock.now()
    const holders = this.ctx.storage.sql
      .exec<{ holder: string }>('UPDATE leases SET expires_at = ? WHERE holder != ? AND expires_at > ? RETURNING holder', now, except, now)
      .toArray()
      .map((row) => row.holder)
    await Promise.allSettled(holders.map((holder) => agentStubById(this.env, holder).recallLease(entity)))
  }

  private charge(account: BudgetAccount, limits: BudgetLimits, holder: string, used: Usage): BudgetCrossing[] {
    if (isZeroUsage(used)) return []
    this.ctx.storage.sql.exec(
      `UPDATE leases SET tokens = MAX(0, tokens - ?), compute_seconds = MAX(0, compute_seconds - ?), cost_usd = MAX(0, cost_usd - ?)
       WHERE holder = ?`,
      used.tokens,
      used.computeSeconds,
      used.costUsd,
      holder,
    )
    return account.charge(limits, used)
  }

  private account(entity: string): BudgetAccount {
    return new BudgetAccount(this.ctx.storage.sql, this.clock, entity)
  }
}
