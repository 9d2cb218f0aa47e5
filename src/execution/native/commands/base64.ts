/**
 * base64 encode (wrapped at 76 columns, -w N, -w 0 for none) and decode
 * (-d, ignoring newlines; -i ignores any other non-alphabet character).
 * Decoding writes every complete group before the first bad one, then says
 * `base64: invalid input` and exits 1, as GNU does.
 */
import { parseArgs } from '../argv'
import { base64ToBytes, bytesToBase64 } from '../base64-codec'
import { UsageError, type Command } from '../context'
import { readOrReport } from '../io'
import { quoteLocale } from '../quote'
import { decodeUtf8 } from '../text'

const SPEC = {
  flags: 'di',
  withValue: 'w',
  long: { decode: { key: 'd' }, 'ignore-garbage': { key: 'i' }, wrap: { key: 'w', value: true } },
}

function wrap(text: string, width: number): string {
  if (text === '') return ''
  if (width === 0) return text
  let out = ''
  for (let i = 0; i < text.length; i += width) out += `${text.slice(i, i + width)}\n`
  return out
}

/** Decodes 4-character groups; stops at the first invalid one. */
function decode(text: string): { bytes: Uint8Array[]; valid: boolean } {
  const bytes: Uint8Array[] = []
  for (let i = 0; i < text.length; i += 4) {
    const group = text.slice(i, i + 4)
    const decoded = base64ToBytes(group)
    if (decoded) {
      bytes.push(decoded)
      continue
    }
    // The valid start of the bad group still yields its whole bytes ("YQ" → "a", "le p" → "\x95") before the error, as GNU's.
    const lead = /^[A-Za-z0-9+/]*/.exec(group)?.[0] ?? ''
    const partial = lead.length >= 2 ? base64ToBytes(lead.slice(0, 3).padEnd(4, '=')) : undefined
    if (partial) bytes.push(partial)
    return { bytes, valid: false }
  }
  return { bytes, valid: true }
}

export const base64: Command = async (ctx) => {
  const parsed = parseArgs('base64', ctx.args, SPEC)
  const [operand = '-', extra] = parsed.operands
  if (extra !== undefined) throw new UsageError(`extra operand ${quoteLocale(extra)}`)
  const wrapText = parsed.last('w') ?? '76'
  if (!/^\d+$/.test(wrapText)) throw new UsageError(`invalid wrap size: ${quoteLocale(wrapText)}`, false)
  const data = await readOrReport(ctx, operand)
  if (!data) return 1
  if (!parsed.has('d')) {
    ctx.stdout.write(wrap(bytesToBase64(data), Number(wrapText)))
    return 0
  }
  const text = parsed.has('i') ? decodeUtf8(data).replace(/[^A-Za-z0-9+/=]/g, '') : decodeUtf8(data).replace(/\n/g, '')
  const { bytes, valid } = decode(text)
  for (const chunk of bytes) ctx.stdout.write(chunk)
  if (valid) return 0
  ctx.stderr.write('base64: invalid input\n')
  return 1
}
