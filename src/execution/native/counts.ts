/**
 * Counts as head, tail and friends accept them: decimal with GNU's
 * multiplier suffixes (`1K` = 1024, `1kB` = 1000, `2M`, `b` = 512 …).
 */
import { UsageError } from './context'
import { quoteLocale } from './quote'

const MULTIPLIERS: Readonly<Record<string, number>> = {
  '': 1,
  b: 512,
  kB: 1000,
  K: 1024,
  KiB: 1024,
  MB: 1000 ** 2,
  M: 1024 ** 2,
  MiB: 1024 ** 2,
  GB: 1000 ** 3,
  G: 1024 ** 3,
  GiB: 1024 ** 3,
}

/** Parses an unsigned count; `what` names it in the error (`invalid number of lines: ‘x’`). */
export function parseCount(text: string, what: string): number {
  const match = /^(\d+)([A-Za-z]*)$/.exec(text)
  const multiplier = match ? MULTIPLIERS[match[2] as string] : undefined
  if (!match || multiplier === undefined) throw new UsageError(`invalid number of ${what}: ${quoteLocale(text)}`, false)
  return Number(match[1]) * multiplier
}
