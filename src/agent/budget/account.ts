/**
 * A budget account in a Durable Object's SQLite: usage per UTC day, the
 * carry-over into the next day, threshold crossings (each reported once per
 * day), refusals against an estimate, and usage reports with a projection.
 * Agents keep one for their own limits; budget ledgers keep one for a tenant
 * or a user.
 */
import type { Clock } from '../clock'
import { DAY_MS, periodEnd, periodOf, periodStart, RETAINED_DAYS } from './period'
import type { SpendByTier } from './tier-usage'
import {
  BUDGET_DIMENSIONS,
  ZERO_USAGE,
  type BudgetCrossing,
  type BudgetDimension,
  type BudgetLimits,
  type BudgetRefusal,
  type Usage,
} from './usage'

export const BUDGET_ACCOUNT_DDL = [
  `CREATE TABLE budget_days (
    day                    TEXT PRIMARY KEY,
    tokens                 REAL NOT NULL DEFAULT 0,
    compute_seconds        REAL NOT NULL DEFAULT 0,
    cost_usd               REAL NOT NULL DEFAULT 0,
    carry_tokens           REAL NOT NULL DEFAULT 0,
    carry_compute_seconds  REAL NOT NULL DEFAULT 0,
    carry_cost_usd         REAL NOT NULL DEFAULT 0,
    crossings              TEXT NOT NULL DEFAULT '[]'
  )`,
]

interface DayRow {
  day: string
  tokens: number
  compute_seconds: number
  cost_usd: number
  carry_tokens: number
  carry_compute_seconds: number
  carry_cost_usd: number
  crossings: string
  [key: string]: SqlStorageValue
}

const HISTORY_DAYS = 7

function usedOf(row: DayRow): Usage {
  return { tokens: row.tokens, computeSeconds: row.compute_seconds, costUsd: row.cost_usd }
}

function carryOf(row: DayRow): Usage {
  return { tokens: row.carry_tokens, computeSeconds: row.carry_compute_seconds, costUsd: row.carry_cost_usd }
}

export interface UsageReport {
  entity: string
  period: string
  periodEndsAt: string
  limits: BudgetLimits
  used: Usage
  /** Limit plus carry-over per limited dimension. */
  allowance: Partial<Usage>
  carriedOver: Usage
  /** used / allowance per limited dimension. */
  ratio: Partial<Usage>
  projection: {
    /** Usage at the end of the day if the rate so far continues. */
    endOfPeriod: Usage
    /** Dimensions the projection takes past their allowance. */
    exceeds: BudgetDimension[]
    /** When each such dimension would run out at the current rate. */
    exhaustedAt: Partial<Record<BudgetDimension, string>>
  }
  history: Array<{ period: string; used: Usage }>
  /** An agent's report only: today's attempts, compute seconds and their cost per tier (tier-usage.ts). */
  byTier?: SpendByTier
}

export class BudgetAccount {
  /**
   * Today's row as last written or read by this instance. Only worth keeping where one instance serves every
   * charge of its Durable Object and the object writes budget_days through it alone (an agent's own account,
   * src/agent/budget/agent-budget.ts); a rolled-back transaction must `forget` it.
   */
  private held: DayRow | undefined

  constructor(
    private readonly sql: SqlStorage,
    private readonly clock: Clock,
    readonly entity: string,
  ) {}

  /** Adds usage to today and returns the thresholds this charge crossed for the first time today. */
  charge(limits: BudgetLimits, usage: Usage): BudgetCrossing[] {
    const today = this.today(limits)
    // The day's row as charged, from the write itself.
    let after = this.sql
      .exec<DayRow>(
        `UPDATE budget_days SET tokens = tokens + ?, compute_seconds = compute_seconds + ?, cost_usd = cost_usd + ? WHERE day = ? RETURNING *`,
        usage.tokens,
        usage.computeSeconds,
        usage.costUsd,
        today.day,
      )
      .one()
    const reported = new Set(JSON.parse(after.crossings) as string[])
    const crossings: BudgetCrossing[] = []
    for (const dimension of BUDGET_DIMENSIONS) {
      const allowance = this.allowanceOf(limits, after, dimension)
      if (allowance === undefined || usage[dimension] === 0) continue
      const used = usedOf(after)[dimension]
      const percent = allowance === 0 ? Infinity : (used / allowance) * 100
      const levels: Array<BudgetCrossing['level']> = []
      if (percent >= limits.alertThresholdPercent) levels.push('soft')
      if (used >= allowance) levels.push('hard')
      for (const level of levels) {
        const key = `${dimension}:${level}`
        if (reported.has(key)) continue
        reported.add(key)
        crossings.push({ entity: this.entity, dimension, level, used, allowance, percent })
      }
    }
    if (crossings.length > 0) {
      after = this.sql.exec<DayRow>('UPDATE budget_days SET crossings = ? WHERE day = ? RETURNING *', JSON.stringify([...reported]), after.day).one()
    }
    this.held = after
    return crossings
  }

  /** The first dimension that cannot take `estimate` more today, if any. */
  refusal(limits: BudgetLimits, estimate: Usage): BudgetRefusal | undefined {
    const row = this.today(limits)
    const used = usedOf(row)
    for (const dimension of BUDGET_DIMENSIONS) {
      const allowance = this.allowanceOf(limits, row, dimension)
      if (allowance === undefined) continue
      if (used[dimension] >= allowance || used[dimension] + estimate[dimension] > allowance) {
        return { entity: this.entity, dimension, used: used[dimension], allowance }
      }
    }
    return undefined
  }

  used(limits: BudgetLimits): Usage {
    return usedOf(this.today(limits))
  }

  allowance(limits: BudgetLimits): Partial<Usage> {
    const row = this.today(limits)
    const allowance: Partial<Usage> = {}
    for (const dimension of BUDGET_DIMENSIONS) {
      const value = this.allowanceOf(limits, row, dimension)
      if (value !== undefined) allowance[dimension] = value
    }
    return allowance
  }

  report(limits: BudgetLimits): UsageReport {
    const now = this.clock.now()
    const row = this.today(limits)
    const used = usedOf(row)
    const allowance = this.allowance(limits)
    const elapsed = Math.max(now - periodStart(now), 60_000)
    const ratio: Partial<Usage> = {}
    const endOfPeriod = { ...ZERO_USAGE }
    const exceeds: BudgetDimension[] = []
    const exhaustedAt: Partial<Record<BudgetDimension, string>> = {}
    for (const dimension of BUDGET_DIMENSIONS) {
      const rate = used[dimension] / elapsed
      endOfPeriod[dimension] = rate * DAY_MS
      const limit = allowance[dimension]
      if (limit === undefined) continue
      ratio[dimension] = limit === 0 ? (used[dimension] > 0 ? Infinity : 0) : used[dimension] / limit
      if (endOfPeriod[dimension] > limit) {
        exceeds.push(dimension)
        const runsOutAt = used[dimension] >= limit ? now : now + (limit - used[dimension]) / rate
        exhaustedAt[dimension] = new Date(Math.round(runsOutAt)).toISOString()
      }
    }
    const history = this.sql
      .exec<DayRow>('SELECT * FROM budget_days ORDER BY day DESC LIMIT ?', HISTORY_DAYS)
      .toArray()
      .map((day) => ({ period: day.day, used: usedOf(day) }))
    return {
      entity: this.entity,
      period: row.day,
      periodEndsAt: new Date(periodEnd(now)).toISOString(),
      limits,
      used,
      allowance,
      carriedOver: carryOf(row),
      ratio,
      projection: { endOfPeriod, exceeds, exhaustedAt },
      history,
    }
  }

  private allowanceOf(limits: BudgetLimits, row: DayRow, dimension: BudgetDimension): number | undefined {
    const limit = limits.max[dimension]
    if (limit === undefined) return undefined
    return limits.period === 'carryover' ? limit + carryOf(row)[dimension] : limit
  }

  /** Forget the held row (after a rolled-back transaction). */
  forget(): void {
    this.held = undefined
  }

  /** Today's row (the held one while it is today's), opened on first use with the carry-over from the day before. */
  private today(limits: BudgetLimits): DayRow {
    const now = this.clock.now()
    const day = periodOf(now)
    if (this.held?.day === day) return this.held
    this.held = this.readToday(limits, now, day)
    return this.held
  }

  private readToday(limits: BudgetLimits, now: number, day: string): DayRow {
    const existing = this.sql.exec<DayRow>('SELECT * FROM budget_days WHERE day = ?', day).toArray()[0]
    if (existing) return existing
    const carry = this.carryInto(limits, now)
    this.sql.exec(
      `INSERT INTO budget_days (day, carry_tokens, carry_compute_seconds, carry_cost_usd) VALUES (?, ?, ?, ?)`,
      day,
      carry.tokens,
      carry.computeSeconds,
      carry.costUsd,
    )
    this.sql.exec('DELETE FROM budget_days WHERE day < ?', periodOf(now - RETAINED_DAYS * DAY_MS))
    return this.sql.exec<DayRow>('SELECT * FROM budget_days WHERE day = ?', day).one()
  }

  /**
   * Unused allowance of the previous day, capped at one day's limit. A day
   * with no row had no usage, so its whole limit would carry: the cap makes
   * that one day's limit too. The first day of an account carries nothing.
   */
  private carryInto(limits: BudgetLimits, now: number): Usage {
    const carry = { ...ZERO_USAGE }
    if (limits.period !== 'carryover') return carry
    const yesterday = periodOf(now - DAY_MS)
    const previous = this.sql.exec<DayRow>('SELECT * FROM budget_days WHERE day < ? ORDER BY day DESC LIMIT 1', periodOf(now)).toArray()[0]
    if (!previous) return carry
    for (const dimension of BUDGET_DIMENSIONS) {
      const limit = limits.max[dimension]
      if (limit === undefined) continue
      const unused = previous.day === yesterday ? limit + carryOf(previous)[dimension] - usedOf(previous)[dimension] : limit
      carry[dimension] = Math.max(0, Math.min(limit, unused))
    }
    return carry
  }
}
