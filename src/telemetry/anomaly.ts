/**
 * Anomaly detection for one agent (FR-TEL-6): a high error rate over its most
 * recent tasks, and a budget limit reached. Pure state, fed task outcomes; the
 * agent runtime turns what it returns into `alert.raised` events.
 *
 * The error-rate alert fires once when the failed share of the last `window`
 * finished tasks reaches `threshold` (with at least `minTasks` of them), and
 * re-arms when the share falls back below it, so a failing agent raises one
 * alert per episode, not one per task.
 */
import { z } from 'zod'

export interface ErrorRateConfig {
  /** Failed share (0–1] at which the alert fires. */
  threshold: number
  /** How many of the most recent finished tasks are considered. */
  window: number
  /** No alert before this many tasks have finished (3 failures of 3 is not yet a trend). */
  minTasks: number
}

export const DEFAULT_ERROR_RATE: ErrorRateConfig = { threshold: 0.5, window: 20, minTasks: 10 }

const ErrorRateConfigSchema = z
  .object({
    threshold: z.number().gt(0).max(1),
    window: z.number().int().min(1).max(10_000),
    minTasks: z.number().int().min(1).max(10_000),
  })
  .refine((c) => c.minTasks <= c.window, { message: 'minTasks cannot exceed window' })

export interface AlertVars {
  ALERT_ERROR_RATE_THRESHOLD?: string
  ALERT_ERROR_RATE_WINDOW?: string
  ALERT_ERROR_RATE_MIN_TASKS?: string
}

/** Thresholds from the vars; a missing or invalid set falls back to the defaults as a whole. */
export function errorRateConfig(vars: AlertVars): ErrorRateConfig {
  const parsed = ErrorRateConfigSchema.safeParse({
    threshold: Number(vars.ALERT_ERROR_RATE_THRESHOLD ?? DEFAULT_ERROR_RATE.threshold),
    window: Number(vars.ALERT_ERROR_RATE_WINDOW ?? DEFAULT_ERROR_RATE.window),
    minTasks: Number(vars.ALERT_ERROR_RATE_MIN_TASKS ?? DEFAULT_ERROR_RATE.minTasks),
  })
  return parsed.success ? parsed.data : DEFAULT_ERROR_RATE
}

export type AlertKind = 'high_error_rate' | 'budget_exceeded'

export interface AgentAlert {
  kind: AlertKind
  message: string
  details: Record<string, unknown>
}

export class ErrorRateTracker {
  private readonly outcomes: boolean[] = []
  private firing = false

  constructor(private readonly config: ErrorRateConfig) {}

  /** Records one finished task (`failed` true for failed); returns an alert when this outcome starts an episode. */
  record(failed: boolean): AgentAlert | undefined {
    this.outcomes.push(failed)
    if (this.outcomes.length > this.config.window) this.outcomes.shift()
    const failures = this.outcomes.filter(Boolean).length
    const rate = failures / this.outcomes.length
    const high = this.outcomes.length >= this.config.minTasks && rate >= this.config.threshold
    if (!high) {
      this.firing = false
      return undefined
    }
    if (this.firing) return undefined
    this.firing = true
    return {
      kind: 'high_error_rate',
      message: `${failures} of the last ${this.outcomes.length} tasks failed (threshold ${Math.round(this.config.threshold * 100)}%)`,
      details: { failures, tasks: this.outcomes.length, rate, threshold: this.config.threshold },
    }
  }
}
