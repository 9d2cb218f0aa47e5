/** Budget periods are UTC days, named `YYYY-MM-DD`. */
export const DAY_MS = 86_400_000
/** Days of usage kept (budget days, the per-tier split); older rows are dropped when a new day opens. */
export const RETAINED_DAYS = 90

export function periodOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

export function periodStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS
}

export function periodEnd(ms: number): number {
  return periodStart(ms) + DAY_MS
}
