/**
 * The agent's side of budget leases: what is left of each ledger's lease,
 * and the usage charged against it that the ledger has not been told of yet.
 * Kept in the agent's SQLite so an eviction neither forgets usage nor
 * double-reports it.
 */
import type { Clock } from '../clock'
import type { LeaseGrant } from './lease-terms'
import { BUDGET_DIMENSIONS, ZERO_USAGE, type BudgetDimension, type Usage } from './usage'

export const LEASE_CACHE_DDL = [
  `CREATE TABLE budget_leases (
    ledger                     TEXT PRIMARY KEY,
    remaining                  TEXT NOT NULL,
    exhausted                  TEXT NOT NULL,
    expires_at                 INTEGER NOT NULL,
    unsettled_tokens           REAL NOT NULL DEFAULT 0,
    unsettled_compute_seconds  REAL NOT NULL DEFAULT 0,
    unsettled_cost_usd         REAL NOT NULL DEFAULT 0
  )`,
]

interface LeaseRow {
  ledger: string
  remaining: string
  exhausted: string
  expires_at: number
  unsettled_tokens: number
  unsettled_compute_seconds: number
  unsettled_cost_usd: number
  [key: string]: SqlStorageValue
}

export interface CachedLease {
  /** Left per limited dimension (may be negative after an overrun); absent = unlimited. */
  remaining: Partial<Usage>
  exhausted: BudgetDimension[]
}

export class LeaseCache {
  /**
   * Each ledger's row as the last write (RETURNING *) or read answered it: the agent's object is the only
   * writer of its budget_leases and this class its only writer there, so the row admission and every charge
   * read is held, not read again. A rolled-back transaction must `forget` it.
   */
  private readonly held = new Map<string, LeaseRow | undefined>()

  constructor(
    private readonly sql: SqlStorage,
    private readonly clock: Clock,
  ) {}

  /** The live lease for a ledger, or undefined when there is none or it expired. */
  live(ledger: string): CachedLease | undefined {
    const row = this.row(ledger)
    if (!row || row.expires_at <= this.clock.now()) return undefined
    return {
      remaining: JSON.parse(row.remaining) as Partial<Usage>,
      exhausted: JSON.parse(row.exhausted) as BudgetDimension[],
    }
  }

  /** The first dimension the lease cannot cover `estimate` from; undefined when it can. */
  static shortfall(lease: CachedLease, estimate: Usage): BudgetDimension | undefined {
    for (const dimension of BUDGET_DIMENSIONS) {
      const left = lease.remaining[dimension]
      if (left === undefined) continue
      if (lease.exhausted.includes(dimension) || left <= 0 || left < estimate[dimension]) return dimension
    }
    return undefined
  }

  store(ledger: string, grant: LeaseGrant, settled: Usage): void {
    const row = this.row(ledger)
    const unsettled = row ? subtract(unsettledOf(row), settled) : ZERO_USAGE
    this.wrote(ledger, this.sql.exec<LeaseRow>(
      `INSERT INTO budget_leases (ledger, remaining, exhausted, expires_at, unsettled_tokens, unsettled_compute_seconds, unsettled_cost_usd)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(ledger) DO UPDATE SET remaining = excluded.remaining, exhausted = excluded.exhausted,
         expires_at = excluded.expires_at, unsettled_tokens = excluded.unsettled_tokens,
         unsettled_compute_seconds = excluded.unsettled_compute_seconds, unsettled_cost_usd = excluded.unsettled_cost_usd
       RETURNING *`,
      ledger,
      JSON.stringify(grant.grant),
      JSON.stringify(grant.exhausted),
      this.clock.now() + grant.ttlMs,
      unsettled.tokens,
      unsettled.computeSeconds,
      unsettled.costUsd,
    ))
  }

  /** Charges usage against the lease (it may go below zero) and remembers it for settlement. */
  consume(ledger: string, usage: Usage): void {
    const row = this.row(ledger)
    const remaining = row ? (JSON.parse(row.remaining) as Partial<Usage>) : {}
    for (const dimension of BUDGET_DIMENSIONS) {
      const left = remaining[dimension]
      if (left !== undefined) remaining[dimension] = left - usage[dimension]
    }
    this.wrote(ledger, this.sql.exec<LeaseRow>(
      `INSERT INTO budget_leases (ledger, remaining, exhausted, expires_at, unsettled_tokens, unsettled_compute_seconds, unsettled_cost_usd)
       VALUES (?, ?, '[]', 0, ?, ?, ?)
       ON CONFLICT(ledger) DO UPDATE SET remaining = excluded.remaining,
         unsettled_tokens = unsettled_tokens + excluded.unsettled_tokens,
         unsettled_compute_seconds = unsettled_compute_seconds + excluded.unsettled_compute_seconds,
         unsettled_cost_usd = unsettled_cost_usd + excluded.unsettled_cost_usd
       RETURNING *`,
      ledger,
      JSON.stringify(remaining),
      usage.tokens,
      usage.computeSeconds,
      usage.costUsd,
    ))
  }

  /** The ledger withdrew the lease: the next admission must ask it again. */
  expire(ledger: string): void {
    this.wrote(ledger, this.sql.exec<LeaseRow>('UPDATE budget_leases SET expires_at = 0 WHERE ledger = ? RETURNING *', ledger))
  }

  unsettled(ledger: string): Usage {
    const row = this.row(ledger)
    return row ? unsettledOf(row) : { ...ZERO_USAGE }
  }

  /** After the ledger acknowledged `settled`, forget that much of the unsettled usage. */
  markSettled(ledger: string, settled: Usage): void {
    this.wrote(
      ledger,
      this.sql.exec<LeaseRow>(
        `UPDATE budget_leases SET unsettled_tokens = unsettled_tokens - ?, unsettled_compute_seconds = unsettled_compute_seconds - ?,
           unsettled_cost_usd = unsettled_cost_usd - ? WHERE ledger = ? RETURNING *`,
        settled.tokens,
        settled.computeSeconds,
        settled.costUsd,
        ledger,
      ),
    )
  }

  /** Forget every held row (after a rolled-back transaction). */
  forget(): void {
    this.held.clear()
  }

  private row(ledger: string): LeaseRow | undefined {
    if (!this.held.has(ledger)) this.held.set(ledger, this.sql.exec<LeaseRow>('SELECT * FROM budget_leases WHERE ledger = ?', ledger).toArray()[0])
    return this.held.get(ledger)
  }

  /** What a write answered is the row now (none: the write matched no row, so there is none). */
  private wrote(ledger: string, written: SqlStorageCursor<LeaseRow>): void {
    this.held.set(ledger, written.toArray()[0])
  }
}

function unsettledOf(row: LeaseRow): Usage {
  return { tokens: row.unsettled_tokens, computeSeconds: row.unsettled_compute_seconds, costUsd: row.unsettled_cost_usd }
}

function subtract(a: Usage, b: Usage): Usage {
  return { tokens: a.tokens - b.tokens, computeSeconds: a.computeSeconds - b.computeSeconds, costUsd: a.costUsd - b.costUsd }
}
