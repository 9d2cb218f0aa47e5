/**
 * Spend split by tier (issue 14): each attempt's measured compute seconds are
 * also counted per UTC day under the tier that ran it, with what the tier cost
 * model (src/execution/route-plan/cost-model.ts) says that time costs, so the
 * agent's usage report can say where its spend went. An attempt without a
 * result (timed out, cancelled, interrupted) is counted under tier 0.
 */
import type { ExecutionTier } from '../../../types/execution'
import type { Migration } from '../../core/storage-migrations'
import { measuredUsd, type TierCostModel } from '../../execution/route-plan/cost-model'
import { DAY_MS, periodOf, RETAINED_DAYS } from './period'

export const TIER_USAGE_MIGRATION: Migration = [
  `CREATE TABLE tier_usage_days (
    day              TEXT NOT NULL,
    tier             INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    compute_seconds  REAL NOT NULL DEFAULT 0,
    cost_usd         REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (day, tier)
  )`,
]

/** One tier's share of a day: attempts, compute seconds and their cost by the tier cost model. */
export interface TierSpend {
  attempts: number
  computeSeconds: number
  costUsd: number
}

/** Keyed by tier ("0" = attempts that ended without a result). */
export type SpendByTier = Record<string, TierSpend>

/** Counts attempts on one tier (each its compute seconds); call inside the transaction that charges them to the budget. */
export function chargeTier(sql: SqlStorage, model: TierCostModel, now: number, tier: ExecutionTier | undefined, computeSeconds: readonly number[]): void {
  if (computeSeconds.length === 0) return
  const seconds = computeSeconds.reduce((sum, s) => sum + s, 0)
  const costUsd = tier === undefined ? 0 : computeSeconds.reduce((sum, s) => sum + measuredUsd(model, tier, s), 0)
  const { attempts } = sql
    .exec<{ attempts: number }>(
      `INSERT INTO tier_usage_days (day, tier, attempts, compute_seconds, cost_usd) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (day, tier) DO UPDATE SET attempts = attempts + ?3, compute_seconds = compute_seconds + ?4, cost_usd = cost_usd + ?5
       RETURNING attempts`,
      periodOf(now),
      tier ?? 0,
      computeSeconds.length,
      seconds,
      costUsd,
    )
    .one()
  // A row just opened (a new day for this tier): days past retention go, as the budget's own days do.
  if (attempts === computeSeconds.length) sql.exec('DELETE FROM tier_usage_days WHERE day < ?', periodOf(now - RETAINED_DAYS * DAY_MS))
}

/** The day's spend per tier, as the usage report shows it. */
export function spendByTier(sql: SqlStorage, now: number): SpendByTier {
  const spend: SpendByTier = {}
  const rows = sql.exec<{ tier: number; attempts: number; compute_seconds: number; cost_usd: number }>(
    'SELECT tier, attempts, compute_seconds, cost_usd FROM tier_usage_days WHERE day = ? ORDER BY tier',
    periodOf(now),
  )
  for (const row of rows) spend[String(row.tier)] = { attempts: row.attempts, computeSeconds: row.compute_seconds, costUsd: row.cost_usd }
  return spend
}
