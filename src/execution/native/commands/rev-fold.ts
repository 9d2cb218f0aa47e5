/**
 * rev (characters of each line reversed; util-linux) and fold (-w N, -s, -b).
 * GNU fold 9.1 counts columns per byte, not per character — a tab moves to
 * the next multiple of 8, a backspace steps back, a CR resets — so it works
 * on bytes here too and can split a multi-byte character exactly as GNU does.
 */
import { parseArgs } from '../argv'
import { UsageError, type Command } from '../context'
import { forEachInputBlock } from '../chunks'
import { Pacer } from '../pace'
import { quoteLocale } from '../quote'
import { decodeUtf8, splitByteLines } from '../text'

export const rev: Command = async (ctx) => {
  const parsed = parseArgs('rev', ctx.args, {})
  const pacer = new Pacer(ctx.signal)
  let work = 0
  const ok = await forEachInputBlock(ctx, parsed.operands, async (data) => {
    for (const line of splitByteLines(data)) {
      const newline = line[line.byteLength - 1] === 0x0a
      const text = decodeUtf8(newline ? line.subarray(0, -1) : line)
      ctx.stdout.write(`${Array.from(text).reverse().join('')}${newline ? '\n' : ''}`)
      work += line.byteLength
      if (pacer.due(work)) await pacer.pause(work)
    }
  })
  return ok ? 0 : 1
}

/** The column after `byte` at `column`, as GNU fold's adjust_column. */
function advance(column: number, byte: number, countBytes: boolean): number {
  if (countBytes) return column + 1
  if (byte === 0x08) return column > 0 ? column - 1 : 0
  if (byte === 0x0d) return 0
  if (byte === 0x09) return column + 8 - (column % 8)
  return column + 1
}

function isBlank(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09
}

function foldLine(line: Uint8Array, width: number, atSpaces: boolean, countBytes: boolean): Uint8Array[] {
  const pieces: Uint8Array[] = []
  let start = 0
  let column = 0
  let i = 0
  while (i < line.byteLength) {
    const byte = line[i] as number
    if (byte === 0x0a) break
    const next = advance(column, byte, countBytes)
    if (next > width && i > start) {
      let cut = i
      if (atSpaces) {
        let space = i - 1
        while (space >= start && !isBlank(line[space])) space--
        if (space >= start) cut = space + 1
      }
      pieces.push(line.subarray(start, cut), new Uint8Array([0x0a]))
      start = cut
      column = 0
      for (let j = start; j < i; j++) column = advance(column, line[j] as number, countBytes)
      continue
    }
    column = next
    i++
  }
  pieces.push(line.subarray(start))
  return pieces
}

export const fold: Command = async (ctx) => {
  const args = ctx.args.map((arg) => (/^-\d+$/.test(arg) ? `-w${arg.slice(1)}` : arg))
  const parsed = parseArgs('fold', args, {
    flags: 'bs',
    withValue: 'w',
    long: { bytes: { key: 'b' }, spaces: { key: 's' }, width: { key: 'w', value: true } },
  })
  const widthText = parsed.last('w') ?? '80'
  if (!/^\d+$/.test(widthText)) throw new UsageError(`invalid number of columns: ${quoteLocale(widthText)}`, false)
  if (Number(widthText) === 0) throw new UsageError(`invalid number of columns: ${quoteLocale(widthText)}: Numerical result out of range`, false)
  const width = Number(widthText)
  const pacer = new Pacer(ctx.signal)
  let work = 0
  const ok = await forEachInputBlock(ctx, parsed.operands, async (data) => {
    for (const line of splitByteLines(data)) {
      for (const piece of foldLine(line, width, parsed.has('s'), parsed.has('b'))) ctx.stdout.write(piece)
      work += line.byteLength
      if (pacer.due(work)) await pacer.pause(work)
    }
  })
  return ok ? 0 : 1
}
