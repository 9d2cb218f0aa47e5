/**
 * strftime as GNU date implements it, in UTC and the C locale: every
 * conversion date(1) documents, the `- _ 0 ^ #` flags and field widths,
 * `%:z`, and `%N` (nanoseconds; the clock has milliseconds). An unknown
 * conversion is printed as written, as GNU does.
 */
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const DAY_MS = 86_400_000

export interface Instant {
  /** Milliseconds since the epoch. */
  ms: number
  /** Nanoseconds within the second (for %N); derived from ms when absent. */
  nanos?: number
}

function dayOfYear(date: Date): number {
  return Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS)
}

/** ISO 8601 week-numbering year and week (%G, %V). */
function isoWeek(date: Date): { year: number; week: number } {
  const weekday = (date.getUTCDay() + 6) % 7
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - weekday + 3))
  const year = thursday.getUTCFullYear()
  return { year, week: Math.floor(dayOfYear(thursday) / 7) + 1 }
}

type Field = { value: string | number; pad: '0' | ' ' | ''; width: number }

function numeric(value: number, width: number, pad: '0' | ' ' = '0'): Field {
  return { value, pad, width }
}

function text(value: string): Field {
  return { value, pad: '', width: 0 }
}

/** The expansion of one conversion letter, or undefined when it is unknown. */
function field(letter: string, date: Date, instant: Instant, colons: number): Field | string | undefined {
  const hour = date.getUTCHours()
  const year = date.getUTCFullYear()
  switch (letter) {
    case 'a': return text((DAYS[date.getUTCDay()] as string).slice(0, 3))
    case 'A': return text(DAYS[date.getUTCDay()] as string)
    case 'b':
    case 'h': return text((MONTHS[date.getUTCMonth()] as string).slice(0, 3))
    case 'B': return text(MONTHS[date.getUTCMonth()] as string)
    case 'c': return '%a %b %e %H:%M:%S %Y'
    case 'C': return numeric(Math.floor(year / 100), 2)
    case 'd': return numeric(date.getUTCDate(), 2)
    case 'D': return '%m/%d/%y'
    case 'e': return numeric(date.getUTCDate(), 2, ' ')
    case 'F': return '%Y-%m-%d'
    case 'g': return numeric(isoWeek(date).year % 100, 2)
    case 'G': return numeric(isoWeek(date).year, 1)
    case 'H': return numeric(hour, 2)
    case 'I': return numeric(hour % 12 || 12, 2)
    case 'j': return numeric(dayOfYear(date) + 1, 3)
    case 'k': return numeric(hour, 2, ' ')
    case 'l': return numeric(hour % 12 || 12, 2, ' ')
    case 'm': return numeric(date.getUTCMonth() + 1, 2)
    case 'M': return numeric(date.getUTCMinutes(), 2)
    case 'n': return text('\n')
    case 'N': return { value: String(instant.nanos ?? (((instant.ms % 1000) + 1000) % 1000) * 1e6).padStart(9, '0'), pad: '', width: 0 }
    case 'p': return text(hour < 12 ? 'AM' : 'PM')
    case 'P': return text(hour < 12 ? 'am' : 'pm')
    case 'r': return '%I:%M:%S %p'
    case 'R': return '%H:%M'
    case 's': return numeric(Math.floor(instant.ms / 1000), 1)
    case 'S': return numeric(date.getUTCSeconds(), 2)
    case 't': return text('\t')
    case 'T': return '%H:%M:%S'
    case 'u': return numeric(date.getUTCDay() || 7, 1)
    case 'U': return numeric(Math.floor((dayOfYear(date) + 7 - date.getUTCDay()) / 7), 2)
    case 'V': return numeric(isoWeek(date).week, 2)
    case 'w': return numeric(date.getUTCDay(), 1)
    case 'W': return numeric(Math.floor((dayOfYear(date) + 7 - ((date.getUTCDay() + 6) % 7)) / 7), 2)
    case 'x': return '%m/%d/%y'
    case 'X': return '%H:%M:%S'
    case 'y': return numeric(year % 100, 2)
    case 'Y': return numeric(year, 1)
    case 'z': return text(['+0000', '+00:00', '+00:00:00'][Math.min(colons, 2)] as string)
    case 'Z': return text('UTC')
    case '%': return text('%')
  }
  return undefined
}

const CONVERSION = /^%([-_0^#]*)(\d*)(:{0,3})([EO]?)(.)/su

export function strftime(format: string, instant: Instant): string {
  const date = new Date(instant.ms)
  let out = ''
  let i = 0
  while (i < format.length) {
    const percent = format.indexOf('%', i)
    if (percent === -1) return out + format.slice(i)
    out += format.slice(i, percent)
    const match = CONVERSION.exec(format.slice(percent))
    if (!match) return out + format.slice(percent)
    const [whole, flags = '', widthText = '', colons = '', , letter = ''] = match
    i = percent + whole.length
    const expanded = letter === 'z' || colons === '' ? field(letter, date, instant, colons.length) : undefined
    if (expanded === undefined) {
      out += whole
      continue
    }
    const resolved: Field = typeof expanded === 'string' ? text(strftime(expanded, instant)) : expanded
    let value = String(resolved.value)
    if (letter === 'N' && widthText) value = value.slice(0, Number(widthText))
    if (flags.includes('^') || (flags.includes('#') && /[aAbBhZ]/.test(letter))) value = value.toUpperCase()
    else if (flags.includes('#') && /[pP]/.test(letter)) value = value.toLowerCase()
    const isNumber = typeof resolved.value === 'number'
    let pad: string = resolved.pad
    if (flags.includes('-')) pad = ''
    else if (flags.includes('_')) pad = ' '
    else if (flags.includes('0')) pad = '0'
    const width = letter === 'N' ? 0 : widthText ? Number(widthText) : pad === '' ? 0 : resolved.width
    const fill = pad === '' ? (flags.includes('-') || !widthText ? '' : isNumber ? '0' : ' ') : pad
    if (fill && value.length < width) {
      const negative = value.startsWith('-') && fill === '0'
      value = negative ? `-${value.slice(1).padStart(width - 1, fill)}` : value.padStart(width, fill)
    }
    out += value
  }
  return out
}
