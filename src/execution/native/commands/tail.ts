/**
 * tail with -n [+]N, -c [+]N, the obsolete -N and +N, -q and -v. `+N`
 * starts at line (byte) N; a plain N keeps the last N. Following (-f) needs
 * a live file and is left to tier 4.
 */
import { UsageError, type Command } from '../context'
import { parseCount } from '../counts'
import { splitByteLines } from '../text'
import { runHeadOrTail } from './head-tail'

export const tail: Command = async (ctx) => {
  const obsolete = /^([-+])(\d+)$/.exec(ctx.args[0] ?? '')
  // The obsolete -N / +N form takes at most one file, as in GNU.
  if (obsolete && ctx.args.length > 2) throw new UsageError(`option used in invalid context -- ${(ctx.args[0] as string).slice(1, 2)}`, false)
  const args = obsolete ? ['-n', `${obsolete[1] === '+' ? '+' : ''}${obsolete[2]}`, ...ctx.args.slice(1)] : ctx.args
  return runHeadOrTail(ctx, args, ({ unit, raw }) => {
    const fromStart = raw.startsWith('+')
    const count = parseCount(/^[-+]/.test(raw) ? raw.slice(1) : raw, unit)
    return (data) => {
      if (unit === 'bytes') return data.subarray(fromStart ? Math.max(0, count - 1) : Math.max(0, data.length - count))
      const lines = splitByteLines(data)
      const line = lines[fromStart ? Math.max(0, count - 1) : Math.max(0, lines.length - count)]
      return line ? data.subarray(line.byteOffset - data.byteOffset) : data.subarray(data.length)
    }
  })
}
