/**
 * cat with -n -b -s -E -T -v -A -e -t. Works on bytes; line state (the
 * number, whether the last line ended, blank-line squeezing) carries across
 * files exactly as GNU's single output stream does.
 */
import { parseArgs } from '../argv'
import { ByteBuilder } from '../bytes'
import type { Command } from '../context'
import { forEachInputBlock } from '../chunks'
import { splitByteLines } from '../text'

const SPEC = {
  flags: 'nbsETvAetu',
  long: {
    number: { key: 'n' },
    'number-nonblank': { key: 'b' },
    'squeeze-blank': { key: 's' },
    'show-ends': { key: 'E' },
    'show-tabs': { key: 'T' },
    'show-nonprinting': { key: 'v' },
    'show-all': { key: 'A' },
  },
}

interface CatOptions {
  number: boolean
  nonblank: boolean
  squeeze: boolean
  ends: boolean
  tabs: boolean
  nonprinting: boolean
}

/** `^X`, `^?` and `M-` notation for bytes other than newline (and tab unless -T). */
function showNonprinting(byte: number, out: ByteBuilder): void {
  if (byte >= 128) {
    out.text('M-')
    byte -= 128
  }
  if (byte < 32) out.text(`^${String.fromCharCode(byte + 64)}`)
  else if (byte === 127) out.text('^?')
  else out.byte(byte)
}

class CatState {
  line = 0
  atLineStart = true
  previousBlank = false

  constructor(private readonly options: CatOptions) {}

  render(data: Uint8Array, out: ByteBuilder): void {
    const { options } = this
    for (const line of splitByteLines(data)) {
      const blank = this.atLineStart && line.length === 1 && line[0] === 0x0a
      if (options.squeeze && blank && this.previousBlank) continue
      if (this.atLineStart) this.previousBlank = blank
      if (this.atLineStart && (options.nonblank ? !blank : options.number)) {
        out.text(`${String(++this.line).padStart(6)}\t`)
      }
      const ended = line[line.length - 1] === 0x0a
      let body = ended ? line.subarray(0, -1) : line
      // GNU cat -E shows a CR that ends a line as ^M before the $, even without -v.
      const crBeforeEnd = ended && options.ends && !options.nonprinting && body[body.length - 1] === 0x0d
      if (crBeforeEnd) body = body.subarray(0, -1)
      for (const byte of body) {
        if (byte === 0x09 && options.tabs) out.text('^I')
        else if (byte !== 0x09 && options.nonprinting) showNonprinting(byte, out)
        else out.byte(byte)
      }
      if (crBeforeEnd) out.text('^M')
      if (ended) out.text(options.ends ? '$\n' : '\n')
      this.atLineStart = ended
    }
  }
}

export const cat: Command = async (ctx) => {
  const parsed = parseArgs('cat', ctx.args, SPEC)
  const has = (...keys: string[]) => keys.some((key) => parsed.has(key))
  const options: CatOptions = {
    number: has('n'),
    nonblank: has('b'),
    squeeze: has('s'),
    ends: has('E', 'A', 'e'),
    tabs: has('T', 'A', 't'),
    nonprinting: has('v', 'A', 'e', 't'),
  }
  const plain = !Object.values(options).some(Boolean)
  const state = new CatState(options)
  const ok = await forEachInputBlock(ctx, parsed.operands, (data) => {
    if (plain) return ctx.stdout.write(data)
    const out = new ByteBuilder()
    state.render(data, out)
    ctx.stdout.write(out.bytes())
  })
  return ok ? 0 : 1
}
