/**
 * od with one output type: -t o|x|d|u with sizes 1, 2, 4 (or C S I L), -t c,
 * and the legacy -b -c -d -o -s -x -i; -A o|d|x|n, -j, -N, -w, -v. Elements
 * are little-endian as on x86; repeated lines collapse to `*` unless -v.
 * Several types at once (GNU's aligned multi-line form), -t a, -t f and the
 * `z` suffix go to tier 4.
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, UsageError, type Command } from '../context'
import { forEachInput } from '../io'
import { Pacer } from '../pace'
import { quoteLocale } from '../quote'
import { concatBytes } from '../text'

interface Format {
  kind: 'o' | 'x' | 'd' | 'u' | 'c'
  size: 1 | 2 | 4
}

const SIZES: Readonly<Record<string, 1 | 2 | 4>> = { '1': 1, C: 1, '2': 2, S: 2, '4': 4, I: 4, L: 4 }
const LEGACY: Readonly<Record<string, string>> = { b: 'o1', c: 'c', d: 'u2', o: 'o2', s: 'd2', x: 'x2', i: 'd4' }
/** Digits of one element per kind and size (d includes the sign). */
const DIGITS: Readonly<Record<string, number>> = { o1: 3, o2: 6, o4: 11, x1: 2, x2: 4, x4: 8, d1: 4, d2: 6, d4: 11, u1: 3, u2: 5, u4: 10, c1: 3 }
const C_ESCAPES: Readonly<Record<number, string>> = { 0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' }

function parseType(spec: string): Format {
  if (spec === 'c') return { kind: 'c', size: 1 }
  const match = /^([oxdu])([1248CSIL]?)$/.exec(spec)
  if (!match) throw new UnsupportedFeature('od', `-t ${spec}`)
  const size = match[2] === '' ? 4 : SIZES[match[2] as string]
  if (size === undefined) throw new UnsupportedFeature('od', `-t ${spec}`)
  return { kind: match[1] as Format['kind'], size }
}

function element(bytes: Uint8Array, at: number, format: Format): string {
  if (format.kind === 'c') {
    const byte = bytes[at] as number
    if (C_ESCAPES[byte]) return C_ESCAPES[byte] as string
    return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : byte.toString(8).padStart(3, '0')
  }
  let value = 0
  for (let i = format.size - 1; i >= 0; i--) value = value * 256 + (bytes[at + i] ?? 0)
  if (format.kind === 'd' && value >= 2 ** (8 * format.size - 1)) value -= 2 ** (8 * format.size)
  if (format.kind === 'o') return value.toString(8).padStart(DIGITS[`o${format.size}`] as number, '0')
  if (format.kind === 'x') return value.toString(16).padStart(DIGITS[`x${format.size}`] as number, '0')
  return String(value)
}

function number(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined
  const value = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^0[0-7]+$/.test(text) ? parseInt(text, 8) : /^\d+$/.test(text) ? Number(text) : NaN
  if (Number.isNaN(value)) throw new UsageError(`invalid ${what} argument ${quoteLocale(text)}`)
  return value
}

export const od: Command = async (ctx) => {
  const parsed = parseArgs('od', ctx.args, {
    flags: 'bcdosxiv',
    withValue: 'AtjNw',
    long: {
      'address-radix': { key: 'A', value: true },
      format: { key: 't', value: true },
      'skip-bytes': { key: 'j', value: true },
      'read-bytes': { key: 'N', value: true },
      width: { key: 'w', value: 'optional' },
      'output-duplicates': { key: 'v' },
    },
  })
  const types = parsed.options.filter((o) => o.key === 't' || LEGACY[o.key]).map((o) => (o.key === 't' ? (o.value as string) : (LEGACY[o.key] as string)))
  if (types.length > 1 || types.some((t) => t.length > 2 && t !== 'c')) throw new UnsupportedFeature('od', 'more than one output type')
  const format = parseType(types[0] ?? 'o2')
  const radix = parsed.last('A') ?? 'o'
  if (!['o', 'd', 'x', 'n'].includes(radix)) throw new UsageError(`invalid output address radix '${radix}'; it must be one character from [doxn]`, false)
  const skip = number(parsed.last('j'), 'skip') ?? 0
  const limit = number(parsed.last('N'), 'count')
  // `--width` alone means 32, GNU's default for -w without BYTES.
  const width = parsed.has('w') ? (number(parsed.last('w'), 'width') ?? 32) : 16
  if (width % format.size !== 0 || width === 0) throw new UnsupportedFeature('od', `-w ${width} for ${format.size}-byte elements`)
  const chunks: Uint8Array[] = []
  const ok = await forEachInput(ctx, parsed.operands, (data) => void chunks.push(data))
  const all = concatBytes(chunks)
  if (skip > all.byteLength) {
    ctx.stderr.write('od: cannot skip past end of combined input\n')
    return 1
  }
  const data = all.subarray(Math.min(skip, all.byteLength), limit === undefined ? undefined : Math.min(all.byteLength, skip + limit))
  const address = (offset: number) =>
    radix === 'n' ? '' : radix === 'd' ? String(offset).padStart(7, '0') : radix === 'x' ? offset.toString(16).padStart(6, '0') : offset.toString(8).padStart(7, '0')
  const digits = DIGITS[`${format.kind}${format.kind === 'c' ? 1 : format.size}`] as number
  const pacer = new Pacer(ctx.signal)
  let previous: string | undefined
  let starred = false
  for (let at = 0; at < data.byteLength; at += width) {
    const fields: string[] = []
    for (let i = at; i < Math.min(at + width, data.byteLength); i += format.size) fields.push(` ${element(data, i, format).padStart(digits)}`)
    const body = fields.join('')
    const full = at + width <= data.byteLength
    if (!parsed.has('v') && full && body === previous) {
      if (!starred) ctx.stdout.write('*\n')
      starred = true
    } else {
      ctx.stdout.write(`${address(skip + at)}${body}\n`)
      starred = false
    }
    previous = full ? body : undefined
    if (pacer.due(at)) await pacer.pause(at)
  }
  if (radix !== 'n') ctx.stdout.write(`${address(skip + data.byteLength)}\n`)
  return ok ? 0 : 1
}
