/**
 * date: +FORMAT, -u, -d STRING (see date-parse.ts), -r FILE (its mtime),
 * -I[FMT] / --iso-8601[=FMT], -R, --rfc-3339=FMT. Time zone: UTC only; a
 * TZ other than UTC is left to tier 4. Setting the clock is not possible.
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, UsageError, type Command } from '../context'
import { parseDate } from '../date-parse'
import { fsReason, resolve } from '../io'
import { quoteLocale } from '../quote'
import { strftime, type Instant } from '../strftime'

const SPEC = {
  flags: 'uIR',
  withValue: 'dr',
  long: {
    utc: { key: 'u' },
    universal: { key: 'u' },
    date: { key: 'd', value: true },
    reference: { key: 'r', value: true },
    'iso-8601': { key: 'I', value: 'optional' },
    'rfc-email': { key: 'R' },
    'rfc-3339': { key: 'rfc-3339', value: true },
  },
} as const

const ISO_FORMATS: Readonly<Record<string, string>> = {
  date: '%Y-%m-%d',
  hours: '%Y-%m-%dT%H%:z',
  minutes: '%Y-%m-%dT%H:%M%:z',
  seconds: '%Y-%m-%dT%H:%M:%S%:z',
  ns: '%Y-%m-%dT%H:%M:%S,%N%:z',
}
const RFC_3339_FORMATS: Readonly<Record<string, string>> = {
  date: '%Y-%m-%d',
  seconds: '%Y-%m-%d %H:%M:%S%:z',
  ns: '%Y-%m-%d %H:%M:%S.%N%:z',
}
const UTC_NAMES = new Set(['', 'UTC', 'UTC0', 'GMT', 'Etc/UTC', 'Z', ':UTC'])

/** -I's value may be attached (`-Iseconds`); getopt-style parsing would read it as flags. */
function splitIsoOption(args: readonly string[]): { args: string[]; iso: string | undefined } {
  let iso: string | undefined
  const out = args.filter((arg) => {
    const match = /^-I(.*)$/.exec(arg)
    if (!match) return true
    iso = match[1] || 'date'
    return false
  })
  return { args: out, iso }
}

function pickFormat(table: Readonly<Record<string, string>>, value: string, option: string): string {
  const format = Object.entries(table).find(([name]) => name.startsWith(value) && value !== '')?.[1]
  if (!format) throw new UsageError(`invalid argument ${quoteLocale(value)} for ${quoteLocale(option)}`)
  return format
}

export const date: Command = async (ctx) => {
  const split = splitIsoOption(ctx.args)
  const parsed = parseArgs('date', split.args, SPEC)
  const tz = ctx.env.TZ ?? ''
  if (!parsed.has('u') && !UTC_NAMES.has(tz)) throw new UnsupportedFeature('date', `the time zone TZ=${tz}`)
  const [operand, extra] = parsed.operands
  if (operand !== undefined && !operand.startsWith('+')) throw new UnsupportedFeature('date', 'setting the system date')
  if (extra !== undefined) throw new UsageError(`extra operand ${quoteLocale(extra)}`)

  let instant: Instant = { ms: Date.now() }
  const dateText = parsed.last('d')
  const reference = parsed.last('r')
  if (dateText !== undefined && reference !== undefined) throw new UsageError('the options to specify dates for printing are mutually exclusive')
  if (dateText !== undefined) {
    const found = parseDate(dateText, instant.ms)
    if (!found) throw new UsageError(`invalid date ${quoteLocale(dateText)}`, false)
    instant = found
  } else if (reference !== undefined) {
    try {
      instant = { ms: (await ctx.fs.stat(resolve(ctx, reference))).mtime }
    } catch (thrown) {
      throw new UsageError(`${reference}: ${fsReason(thrown)}`, false)
    }
  }

  let format = '%a %b %e %H:%M:%S %Z %Y'
  const iso = split.iso ?? (parsed.has('I') ? (parsed.last('I') ?? 'date') : undefined)
  const rfc3339 = parsed.last('rfc-3339')
  if (operand !== undefined) format = operand.slice(1)
  else if (iso !== undefined) format = pickFormat(ISO_FORMATS, iso, '--iso-8601')
  else if (rfc3339 !== undefined) format = pickFormat(RFC_3339_FORMATS, rfc3339, '--rfc-3339')
  else if (parsed.has('R')) format = '%a, %d %b %Y %H:%M:%S %z'
  ctx.stdout.write(`${strftime(format, instant)}\n`)
  return 0
}
