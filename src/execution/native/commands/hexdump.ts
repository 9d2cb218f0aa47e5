/**
 * hexdump -C (util-linux's canonical hex+ASCII form) with -n LENGTH,
 * -s OFFSET and -v; repeated 16-byte lines collapse to `*`. hexdump's other
 * formats (-b -c -d -o -x, -e format strings) go to tier 4.
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, UsageError, type Command } from '../context'
import { forEachInput } from '../io'
import { Pacer } from '../pace'
import { concatBytes } from '../text'

function count(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(text)) throw new UsageError(`invalid number: '${text}'`, false)
  return Number(text)
}

function line(data: Uint8Array, at: number): string {
  let hex = ''
  let text = ''
  for (let i = 0; i < 16; i++) {
    const byte = data[at + i]
    if (i === 8) hex += ' '
    if (at + i >= data.byteLength || byte === undefined) {
      hex += '   '
      continue
    }
    hex += `${byte.toString(16).padStart(2, '0')} `
    text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.'
  }
  return `  ${hex} |${text}|`
}

export const hexdump: Command = async (ctx) => {
  const parsed = parseArgs('hexdump', ctx.args, {
    flags: 'Cv',
    withValue: 'ns',
    long: { canonical: { key: 'C' }, length: { key: 'n', value: true }, skip: { key: 's', value: true }, 'no-squeezing': { key: 'v' } },
  })
  if (!parsed.has('C')) throw new UnsupportedFeature('hexdump', 'formats other than -C')
  const skip = count(parsed.last('s')) ?? 0
  const length = count(parsed.last('n'))
  const chunks: Uint8Array[] = []
  const ok = await forEachInput(ctx, parsed.operands, (data) => void chunks.push(data))
  const all = concatBytes(chunks)
  const data = all.subarray(Math.min(skip, all.byteLength), length === undefined ? undefined : Math.min(all.byteLength, skip + length))
  const pacer = new Pacer(ctx.signal)
  let previous: string | undefined
  let starred = false
  for (let at = 0; at < data.byteLength; at += 16) {
    const body = line(data, at)
    const full = at + 16 <= data.byteLength
    if (!parsed.has('v') && full && body === previous) {
      if (!starred) ctx.stdout.write('*\n')
      starred = true
    } else {
      ctx.stdout.write(`${(skip + at).toString(16).padStart(8, '0')}${body}\n`)
      starred = false
    }
    previous = full ? body : undefined
    if (pacer.due(at)) await pacer.pause(at)
  }
  if (data.byteLength > 0) ctx.stdout.write(`${(skip + data.byteLength).toString(16).padStart(8, '0')}\n`)
  return ok ? 0 : 1
}
