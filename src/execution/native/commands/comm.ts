/**
 * comm: three columns (only in file 1, only in file 2, in both) with -1 -2 -3
 * suppressing them and --output-delimiter. Like GNU (C.UTF-8 collates by
 * byte, which is code-point order) it checks that both inputs are sorted:
 * the first disorder in a file is reported, and the run ends with status 1.
 */
import { parseArgs } from '../argv'
import { UsageError, type Command } from '../context'
import { report } from '../io'
import { pacedEach, readLines } from '../lines'
import { quoteLocale } from '../quote'

/** Code-point order (UTF-8 byte order), not UTF-16 order. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0
  const left = Array.from(a)
  const right = Array.from(b)
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0)
    if (difference !== 0) return difference
  }
  return left.length - right.length
}

export const comm: Command = async (ctx) => {
  const parsed = parseArgs('comm', ctx.args, {
    flags: '123',
    long: {
      'output-delimiter': { key: 'd', value: true },
      'check-order': { key: 'c' },
      'nocheck-order': { key: 'n' },
      total: { key: 't' },
    },
  })
  const [first, second, extra] = parsed.operands
  if (first === undefined) throw new UsageError('missing operand')
  if (second === undefined) throw new UsageError(`missing operand after ${quoteLocale(first)}`)
  if (extra !== undefined) throw new UsageError(`extra operand ${quoteLocale(extra)}`)
  const left = await readLines(ctx, first)
  if (!left) return 1
  const right = await readLines(ctx, second)
  if (!right) return 1
  const delimiter = parsed.last('d') ?? '\t'
  const shown = [!parsed.has('1'), !parsed.has('2'), !parsed.has('3')]
  const checkOrder = !parsed.has('n')
  const counts = [0, 0, 0]
  const unsorted = [false, false]
  const out: string[] = []
  const emit = (column: 0 | 1 | 2, line: string) => {
    counts[column] = (counts[column] ?? 0) + 1
    if (!shown[column]) return
    const indent = shown.slice(0, column).filter(Boolean).length
    out.push(`${delimiter.repeat(indent)}${line}\n`)
  }
  const checked = (lines: string[], index: number, file: 0 | 1) => {
    if (checkOrder && index > 0 && !unsorted[file] && compareBytes(lines[index - 1] as string, lines[index] as string) > 0) {
      unsorted[file] = true
      report(ctx, `file ${file + 1} is not in sorted order`)
    }
  }
  let i = 0
  let j = 0
  while (i < left.length || j < right.length) {
    if (i < left.length) checked(left, i, 0)
    if (j < right.length) checked(right, j, 1)
    const order = i >= left.length ? 1 : j >= right.length ? -1 : compareBytes(left[i] as string, right[j] as string)
    if (order < 0) emit(0, left[i++] as string)
    else if (order > 0) emit(1, right[j++] as string)
    else {
      emit(2, left[i++] as string)
      j++
    }
  }
  await pacedEach(ctx, out, (line) => ctx.stdout.write(line))
  if (parsed.has('t')) ctx.stdout.write(`${counts.join(delimiter)}${delimiter}total\n`)
  if (unsorted[0] || unsorted[1]) {
    report(ctx, 'input is not in sorted order')
    return 1
  }
  return 0
}
