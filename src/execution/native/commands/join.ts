/**
 * join: a relational join of two sorted files on a field — -1/-2/-j, -t,
 * -a/-v (unpaired lines), -o (including `0` and `auto`), -e, -i, --header.
 * Fields are blank-separated (leading blanks ignored) unless -t is given.
 * Like GNU, a file found out of order is reported (`join: F:N: is not
 * sorted: LINE`) and the run ends with status 1 (--nocheck-order skips it).
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, UsageError, type Command } from '../context'
import { report } from '../io'
import { pacedEach, readLines } from '../lines'
import { quoteLocale } from '../quote'
import { compareBytes } from './comm'

const SPEC = {
  flags: 'i',
  withValue: '12jtaveo',
  long: {
    'ignore-case': { key: 'i' },
    header: { key: 'H' },
    'check-order': { key: 'c' },
    'nocheck-order': { key: 'n' },
  },
}

type OutputField = { file: 0 } | { file: 1 | 2; field: number }

function fieldNumber(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`invalid field number: ${quoteLocale(text)}`)
  return Number(text) - 1
}

function outputList(spec: string): OutputField[] {
  return spec.split(/[,\s]+/).map((item) => {
    if (item === '0') return { file: 0 }
    const match = /^([12])\.(\d+)$/.exec(item)
    if (!match) throw new UsageError(`invalid field specifier: ${quoteLocale(item)}`)
    return { file: Number(match[1]) as 1 | 2, field: fieldNumber(match[2] as string) }
  })
}

export const join: Command = async (ctx) => {
  const parsed = parseArgs('join', ctx.args, SPEC)
  const [first, second, extra] = parsed.operands
  if (first === undefined) throw new UsageError('missing operand')
  if (second === undefined) throw new UsageError(`missing operand after ${quoteLocale(first)}`)
  if (extra !== undefined) throw new UsageError(`extra operand ${quoteLocale(extra)}`)
  const tab = parsed.last('t')
  if (tab !== undefined && [...tab].length > 1) throw new UsageError(`multi-character tab ${quoteLocale(tab)}`, false)
  if (tab === '') throw new UnsupportedFeature('join', "-t ''")
  const both = parsed.last('j')
  const keys = [fieldNumber(parsed.last('1') ?? both ?? '1'), fieldNumber(parsed.last('2') ?? both ?? '1')] as const
  const unpaired = new Set([...parsed.all('a'), ...parsed.all('v')])
  for (const file of unpaired) if (file !== '1' && file !== '2') throw new UsageError(`invalid field number: ${quoteLocale(file)}`)
  const onlyUnpaired = parsed.all('v').length > 0
  const outputSpec = parsed.all('o').join(',')
  const empty = parsed.last('e')
  const fold = parsed.has('i')
  const split = (line: string): string[] => (tab === undefined ? line.trim().split(/[ \t]+/).filter((f, i, all) => f !== '' || all.length > 1) : line.split(tab))
  const files = [await readLines(ctx, first), await readLines(ctx, second)]
  const [left, right] = files
  if (!left || !right) return 1
  const rows = [left.map(split), right.map(split)] as const
  const sep = tab === undefined || tab === '' ? ' ' : tab
  const key = (file: 0 | 1, row: string[]) => {
    const value = row[keys[file]] ?? ''
    return fold ? value.toLowerCase() : value
  }
  const auto = outputSpec === 'auto'
  const widths = [rows[0][0]?.length ?? 0, rows[1][0]?.length ?? 0]
  const list = outputSpec && !auto ? outputList(outputSpec) : undefined
  const out: string[] = []
  const line = (a: string[] | undefined, b: string[] | undefined) => {
    const joinValue = (a ? a[keys[0]] : b?.[keys[1]]) ?? ''
    const fields: string[] = []
    if (list) {
      for (const item of list) {
        if (item.file === 0) fields.push(joinValue)
        else fields.push((item.file === 1 ? a : b)?.[item.field] ?? empty ?? '')
      }
    } else {
      fields.push(joinValue)
      const rest = (row: string[] | undefined, file: 0 | 1) => {
        const count = auto ? (widths[file] as number) : (row?.length ?? 0)
        for (let f = 0; f < count; f++) if (f !== keys[file]) fields.push(row?.[f] ?? (auto ? (empty ?? '') : ''))
      }
      rest(a, 0)
      rest(b, 1)
    }
    out.push(`${fields.join(sep)}\n`)
  }
  let i = 0
  let j = 0
  if (parsed.has('H') && rows[0].length > 0 && rows[1].length > 0) {
    line(rows[0][0], rows[1][0])
    i = j = 1
  }
  const checkOrder = !parsed.has('n')
  let disorder = false
  const checkRow = (file: 0 | 1, index: number) => {
    const list = rows[file]
    if (!checkOrder || disorder || index === 0 || index >= list.length) return
    if (compareBytes(key(file, list[index - 1] as string[]), key(file, list[index] as string[])) > 0) {
      disorder = true
      report(ctx, `${parsed.operands[file]}:${index + 1}: is not sorted: ${(files[file] as string[])[index]}`)
    }
  }
  while (i < rows[0].length && j < rows[1].length) {
    const order = compareBytes(key(0, rows[0][i] as string[]), key(1, rows[1][j] as string[]))
    if (order < 0) {
      if (unpaired.has('1')) line(rows[0][i], undefined)
      checkRow(0, ++i)
    } else if (order > 0) {
      if (unpaired.has('2')) line(undefined, rows[1][j])
      checkRow(1, ++j)
    } else {
      const value = key(0, rows[0][i] as string[])
      let iEnd = i
      while (iEnd < rows[0].length && key(0, rows[0][iEnd] as string[]) === value) iEnd++
      let jEnd = j
      while (jEnd < rows[1].length && key(1, rows[1][jEnd] as string[]) === value) jEnd++
      if (!onlyUnpaired) for (let a = i; a < iEnd; a++) for (let b = j; b < jEnd; b++) line(rows[0][a], rows[1][b])
      i = iEnd
      j = jEnd
      checkRow(0, i)
      checkRow(1, j)
    }
  }
  if (unpaired.has('1')) for (; i < rows[0].length; i++) line(rows[0][i], undefined)
  if (unpaired.has('2')) for (; j < rows[1].length; j++) line(undefined, rows[1][j])
  await pacedEach(ctx, out, (text) => ctx.stdout.write(text))
  if (disorder) {
    report(ctx, 'input is not in sorted order')
    return 1
  }
  return 0
}
