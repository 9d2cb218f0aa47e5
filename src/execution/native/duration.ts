/**
 * GNU's DURATION operand, shared by `sleep` and `timeout`: a decimal number
 * of seconds with an optional unit suffix (`1.5`, `2s`, `3m`, `1h`, `1d`).
 */
import { UsageError } from './context'
import { quoteLocale } from './quote'

const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }

/** DURATION in milliseconds; a malformed one is a usage error worded as GNU's. */
export function parseDuration(text: string): number {
  const match = /^(\d+\.?\d*|\.\d+)([smhd]?)$/.exec(text)
  if (!match) throw new UsageError(`invalid time interval ${quoteLocale(text)}`)
  return Number(match[1]) * (SECONDS_PER_UNIT[match[2] as string] as number) * 1000
}
