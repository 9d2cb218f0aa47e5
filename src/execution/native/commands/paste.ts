/**
 * paste: lines of the files side by side (or each file on one line with -s),
 * joined by the -d list used cyclically (`\n \t \\ \0` escapes; `\0` is an
 * empty delimiter). `-` may be given more than once and shares stdin.
 */
import { parseArgs } from '../argv'
import { UsageError, type Command } from '../context'
import { pacedEach, readLines } from '../lines'
import { quoteLocale } from '../quote'

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', '\\': '\\', '0': '', b: '\b', f: '\f', r: '\r', v: '\v' }

function delimiters(list: string): string[] {
  const out: string[] = []
  for (let i = 0; i < list.length; i++) {
    const char = list[i] as string
    if (char !== '\\') {
      out.push(char)
      continue
    }
    const next = list[++i]
    if (next === undefined) throw new UsageError(`delimiter list ends with an unescaped backslash: ${quoteLocale(list)}`, false)
    out.push(ESCAPES[next] ?? next)
  }
  return out
}

export const paste: Command = async (ctx) => {
  const parsed = parseArgs('paste', ctx.args, {
    flags: 's',
    withValue: 'd',
    long: { serial: { key: 's' }, delimiters: { key: 'd', value: true } },
  })
  const delims = delimiters(parsed.last('d') ?? '\t')
  const delimiter = (index: number) => (delims.length === 0 ? '' : (delims[index % delims.length] as string))
  const operands = parsed.operands.length > 0 ? parsed.operands : ['-']
  const files: string[][] = []
  let stdinLines: string[] | undefined
  let stdinUsers = 0
  for (const operand of operands) {
    if (operand === '-') {
      stdinLines ??= (await readLines(ctx, '-')) ?? []
      stdinUsers++
      files.push(stdinLines)
      continue
    }
    const lines = await readLines(ctx, operand)
    if (!lines) return 1
    files.push(lines)
  }
  if (parsed.has('s')) {
    await pacedEach(ctx, files, (lines) => {
      ctx.stdout.write(`${lines.map((line, i) => (i === 0 ? line : delimiter(i - 1) + line)).join('')}\n`)
    })
    return 0
  }
  // Files sharing stdin take its lines in turn, as GNU's reads of one stream do.
  const cursors = files.map(() => 0)
  const next = (index: number): string | undefined => {
    const lines = files[index] as string[]
    if (lines === stdinLines && stdinUsers > 1) {
      const shared = cursors.findIndex((_, i) => files[i] === stdinLines)
      const at = cursors[shared] as number
      cursors[shared] = at + 1
      return lines[at]
    }
    const at = cursors[index] as number
    cursors[index] = at + 1
    return lines[at]
  }
  const rows: string[] = []
  for (;;) {
    const cells = files.map((_, index) => next(index))
    if (cells.every((cell) => cell === undefined)) break
    rows.push(cells.map((cell, i) => (i === 0 ? (cell ?? '') : delimiter(i - 1) + (cell ?? ''))).join(''))
  }
  await pacedEach(ctx, rows, (row) => ctx.stdout.write(`${row}\n`))
  return 0
}
