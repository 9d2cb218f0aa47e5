/**
 * The subset of GNU date's -d syntax agents use: `@EPOCH[.frac]`, `now`,
 * `today`, `yesterday`, `tomorrow`, ISO dates and times (`2024-02-29`,
 * `2024-02-29 13:05[:09[.5]]`, `T` separator, `Z` or ±HH[:]MM offsets,
 * `UTC`), followed by relative items (`3 days ago`, `+2 hours`, `-1 week`).
 * Everything is UTC. Anything else is undefined (GNU: "invalid date").
 */
import type { Instant } from './strftime'

const UNIT_MS: Readonly<Record<string, number>> = {
  second: 1000,
  sec: 1000,
  minute: 60_000,
  min: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
  fortnight: 1_209_600_000,
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?/i

function absolute(text: string, now: number): { instant: Instant; rest: string } | undefined {
  const epoch = /^@(-?\d+)(?:\.(\d{1,9}))?/.exec(text)
  if (epoch) {
    const fraction = (epoch[2] ?? '').padEnd(9, '0')
    const seconds = Number(epoch[1])
    return { instant: { ms: seconds * 1000 + Math.floor(Number(fraction) / 1e6), nanos: Number(fraction) }, rest: text.slice(epoch[0].length) }
  }
  const word = /^(now|today|yesterday|tomorrow)\b/i.exec(text)
  if (word) {
    const shift = { now: 0, today: 0, yesterday: -86_400_000, tomorrow: 86_400_000 }[word[1]?.toLowerCase() as 'now']
    return { instant: { ms: now + shift }, rest: text.slice(word[0].length) }
  }
  const iso = ISO.exec(text)
  if (!iso) return text.trim() === '' || /^[+-]?\d+\s*[a-z]/i.test(text) ? { instant: { ms: now }, rest: text } : undefined
  const [whole = '', y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = iso
  const parts = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number]
  const [year, month, day, hour, minute, second] = parts
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined
  let ms = Date.UTC(year, month - 1, day, hour, minute, second)
  if (new Date(ms).getUTCDate() !== day) return undefined
  const nanos = Number((frac ?? '').padEnd(9, '0'))
  ms += Math.floor(nanos / 1e6)
  if (zone && /^[+-]/.test(zone)) {
    const digits = zone.replace(':', '')
    const offset = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000
    ms -= zone.startsWith('-') ? -offset : offset
  }
  return { instant: { ms, nanos }, rest: text.slice(whole.length) }
}

export function parseDate(text: string, now: number): Instant | undefined {
  const base = absolute(text.trim(), now)
  if (!base) return undefined
  let { ms } = base.instant
  let rest = base.rest.trim()
  const relative = /^([+-]?\d+)?\s*(second|sec|minute|min|hour|day|week|fortnight|month|year)s?\b\s*(ago\b)?/i
  while (rest !== '') {
    const item = relative.exec(rest)
    if (!item) return undefined
    const amount = Number(item[1] ?? '1') * (item[3] ? -1 : 1)
    const unit = (item[2] as string).toLowerCase()
    if (unit === 'month' || unit === 'year') {
      const date = new Date(ms)
      const months = unit === 'year' ? amount * 12 : amount
      date.setUTCMonth(date.getUTCMonth() + months)
      ms = date.getTime()
    } else ms += amount * (UNIT_MS[unit] as number)
    rest = rest.slice(item[0].length).trim()
  }
  return ms === base.instant.ms ? base.instant : { ms }
}
