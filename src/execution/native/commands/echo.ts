/**
 * echo as GNU coreutils' /bin/echo: leading arguments made only of the
 * letters n, e, E are options (`-n`, `-e`, `-neE`); anything else, `--`
 * included, is printed.
 */
import { ByteBuilder } from '../bytes'
import type { Command } from '../context'
import { decodeAllEscapes } from '../escapes'

const OPTION = /^-[neE]+$/

export const echo: Command = async (ctx) => {
  let newline = true
  let escapes = false
  let first = 0
  for (; first < ctx.args.length && OPTION.test(ctx.args[first] as string); first++) {
    for (const letter of (ctx.args[first] as string).slice(1)) {
      if (letter === 'n') newline = false
      else escapes = letter === 'e'
    }
  }
  const out = new ByteBuilder()
  const words = ctx.args.slice(first)
  for (const [index, word] of words.entries()) {
    if (index > 0) out.byte(0x20)
    if (!escapes) out.text(word)
    else if (decodeAllEscapes(word, out, 'echo')) {
      ctx.stdout.write(out.bytes())
      return 0
    }
  }
  if (newline) out.byte(0x0a)
  ctx.stdout.write(out.bytes())
  return 0
}
