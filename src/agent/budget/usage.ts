/**
 * What budgets count (FR-BUD-1/2): tokens, compute seconds and cost, per UTC
 * day, with a soft alert threshold and a hard limit per dimension.
 */
import type { BudgetConfig } from '../../../types/fabric'

export const BUDGET_DIMENSIONS = ['tokens', 'computeSeconds', 'costUsd'] as const
export type BudgetDimension = (typeof BUDGET_DIMENSIONS)[number]

export type Usage = Record<BudgetDimension, number>

export const ZERO_USAGE: Readonly<Usage> = Object.freeze({ tokens: 0, computeSeconds: 0, costUsd: 0 })

export interface BudgetLimits {
  /** Hard limit per day for each dimension; absent means unlimited. */
  max: Partial<Usage>
  alertThresholdPercent: number
  period: 'reset' | 'carryover'
}

export function limitsFromConfig(config: BudgetConfig): BudgetLimits {
  const max: Partial<Usage> = {}
  if (config.maxTokensPerDay !== undefined) max.tokens = config.maxTokensPerDay
  if (config.maxComputeSecondsPerDay !== undefined) max.computeSeconds = config.maxComputeSecondsPerDay
  if (config.maxCostPerDayUsd !== undefined) max.costUsd = config.maxCostPerDayUsd
  return { max, alertThresholdPercent: config.alertThresholdPercent, period: config.period ?? 'reset' }
}

export function configFromLimits(limits: BudgetLimits): BudgetConfig & Pick<BudgetLimits, 'period'> {
  return {
    ...(limits.max.tokens !== undefined ? { maxTokensPerDay: limits.max.tokens } : {}),
    ...(limits.max.computeSeconds !== undefined ? { maxComputeSecondsPerDay: limits.max.computeSeconds } : {}),
    ...(limits.max.costUsd !== undefined ? { maxCostPerDayUsd: limits.max.costUsd } : {}),
    alertThresholdPercent: limits.alertThresholdPercent,
    period: limits.period,
  }
}

export function usageOf(partial: Partial<Usage>): Usage {
  return { tokens: partial.tokens ?? 0, computeSeconds: partial.computeSeconds ?? 0, costUsd: partial.costUsd ?? 0 }
}

export function isZeroUsage(usage: Usage): boolean {
  return BUDGET_DIMENSIONS.every((dimension) => usage[dimension] === 0)
}

/** A threshold a charge crossed: reported once per period, dimension and level. */
export interface BudgetCrossing {
  entity: string
  dimension: BudgetDimension
  level: 'soft' | 'hard'
  used: number
  allowance: number
  percent: number
}

/** The dimension that refuses new work, and by how much. */
export interface BudgetRefusal {
  entity: string
  dimension: BudgetDimension
  used: number
  allowance: number
}
