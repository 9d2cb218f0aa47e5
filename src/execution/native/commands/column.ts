/**
 * column -t (util-linux): a table whose columns are padded to their widest
 * cell plus two blanks (or the -o separator); the last column is not padded,
 * empty lines are dropped, short rows get empty cells, and -s sets the input separators (any of its
 * characters, runs of them merged, as util-linux does without -n). Width is
 * counted in terminal columns (wide characters 2). Without -t, column fills the terminal width, which a
 * tier without a terminal cannot mean the same way, so that goes to tier 4.
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, type Command } from '../context'
import { eachOperandLines, pacedEach } from '../lines'

/** Terminal columns of a cell as util-linux counts them: wide East Asian characters and emoji take 2, combining marks 0. */
function displayWidth(text: string): number {
  let width = 0
  for (const char of text) {
    const cp = char.codePointAt(0) as number
    if ((cp >= 0x0300 && cp <= 0x036f) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) continue
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x1f300 && cp <= 0x1f64f) ||
      (cp >= 0x1f900 && cp <= 0x1f9ff) ||
      (cp >= 0x20000 && cp <= 0x3fffd)
    width += wide ? 2 : 1
  }
  return width
}

function splitter(separators: string): (line: string) => string[] {
  const chars = new Set(Array.from(separators))
  return (line) => {
    const cells: string[] = []
    let cell = ''
    for (const char of line) {
      if (!chars.has(char)) {
        cell += char
        continue
      }
      if (cell !== '') cells.push(cell)
      cell = ''
    }
    if (cell !== '') cells.push(cell)
    return cells
  }
}

export const column: Command = async (ctx) => {
  const parsed = parseArgs('column', ctx.args, {
    flags: 't',
    withValue: 'so',
    long: { table: { key: 't' }, separator: { key: 's', value: true }, 'output-separator': { key: 'o', value: true } },
  })
  if (!parsed.has('t')) throw new UnsupportedFeature('column', 'filling columns without -t')
  const split = splitter(parsed.last('s') ?? ' \t')
  const gap = parsed.last('o') ?? '  '
  const rows: string[][] = []
  const status = await eachOperandLines(ctx, parsed.operands, (lines) => {
    for (const line of lines) {
      const cells = split(line)
      if (cells.length > 0) rows.push(cells)
    }
  })
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell))))
  const last = widths.length - 1
  await pacedEach(ctx, rows, (row) => {
    // Every row has every column: a missing cell is empty but still padded and separated, as util-linux prints it.
    const cells = widths.map((width, i) => {
      const cell = row[i] ?? ''
      return i === last ? cell : cell + ' '.repeat(width - displayWidth(cell))
    })
    ctx.stdout.write(`${cells.join(gap)}\n`)
  })
  return status
}
