/**
 * head with -n [-]N, -c [-]N, the obsolete -N, -q and -v. Byte-exact: lines
 * keep whatever terminator they had, and a last line without one stays so.
 */
import type { Command } from '../context'
import { parseCount } from '../counts'
import { splitByteLines } from '../text'
import { runHeadOrTail, type CountOption } from './head-tail'

/** For `head -n N` and `head -c N`: whether the pieces read so far hold N lines or bytes. */
function prefixNeed({ unit, raw }: CountOption): ((piece: Uint8Array) => boolean) | undefined {
  if (/^[-+]/.test(raw)) return undefined
  const count = parseCount(raw, unit)
  let seen = 0
  return (piece) => {
    if (unit === 'bytes') seen += piece.length
    else for (const byte of piece) if (byte === 0x0a) seen++
    return seen >= count
  }
}

export const head: Command = async (ctx) => {
  const obsolete = /^-(\d+)$/.exec(ctx.args[0] ?? '')
  const args = obsolete ? ['-n', obsolete[1] as string, ...ctx.args.slice(1)] : ctx.args
  return runHeadOrTail(ctx, args, ({ unit, raw }) => {
    const allBut = raw.startsWith('-')
    const count = parseCount(/^[-+]/.test(raw) ? raw.slice(1) : raw, unit)
    return (data) => {
      if (unit === 'bytes') return allBut ? data.subarray(0, Math.max(0, data.length - count)) : data.subarray(0, count)
      const lines = splitByteLines(data)
      const last = lines[(allBut ? Math.max(0, lines.length - count) : Math.min(count, lines.length)) - 1]
      return last ? data.subarray(0, last.byteOffset - data.byteOffset + last.length) : data.subarray(0, 0)
    }
  }, prefixNeed)
}
