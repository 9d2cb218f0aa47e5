/**
 * column -t (util-linux): a table whose columns are padded to their widest
 * cell plus two blanks (or the -o separator); the last column is not padded,
 * empty lines are dropped, short rows get empty cells, and -s sets the input separators (any of its
 * characters, runs of them merged, as util-linux does without -n). Width is
 * counted in characters. Without -t, column fills the terminal width, which a
 * tier without a terminal cannot mean the same way, so that goes to tier 4.
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, type Command } from '../context'
import { pacedEach, readLines } from '../lines'

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
  let status = 0
  for (const operand of parsed.operands.length > 0 ? parsed.operands : ['-']) {
    const lines = await readLines(ctx, operand)
    if (!lines) {
      status = 1
      continue
    }
    for (const line of lines) {
      const cells = split(line)
      if (cells.length > 0) rows.push(cells)
    }
  }
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, Array.from(cell).length)))
  const last = widths.length - 1
  await pacedEach(ctx, rows, (row) => {
    // Every row has every column: a missing cell is empty but still padded and separated, as util-linux prints it.
    const cells = widths.map((width, i) => {
      const cell = row[i] ?? ''
      return i === last ? cell : cell + ' '.repeat(width - Array.from(cell).length)
    })
    ctx.stdout.write(`${cells.join(gap)}\n`)
  })
  return status
}
