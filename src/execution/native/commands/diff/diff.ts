/**
 * diff of two files (or `-`) in the normal and the unified (-u, -U N) forms,
 * with -q, -s, -i, -b, -w, --label, and GNU's exit statuses
 * (0 same, 1 different, 2 trouble). The edit script is Myers' shortest one;
 * GNU's own search plus its boundary shifting can choose a different but
 * equally short script for some inputs (docs/native.md). Directories (-r),
 * side-by-side, context (-c) and ed forms go to tier 4.
 */
import { parseArgs } from '../../argv'
import { UnsupportedFeature, UsageError, type Command } from '../../context'
import { fsReason, report, resolve } from '../../io'
import { Pacer } from '../../pace'
import { strftime } from '../../strftime'
import { decodeUtf8 } from '../../text'
import { DiffTooLarge, myers, type Change } from './myers'

const SPEC = {
  flags: 'uqsibwa',
  withValue: 'U',
  long: {
    unified: { key: 'U', value: 'optional' as const },
    brief: { key: 'q' },
    'report-identical-files': { key: 's' },
    'ignore-case': { key: 'i' },
    'ignore-space-change': { key: 'b' },
    'ignore-all-space': { key: 'w' },
    text: { key: 'a' },
    label: { key: 'L', value: true },
  },
}

interface Side {
  name: string
  lines: string[]
  /** Whether the last line lacks its newline. */
  noEol: boolean
  header: string
}

async function load(name: string, read: () => Promise<{ data: Uint8Array; mtime: number | undefined }>, label: string | undefined): Promise<Side> {
  const { data, mtime } = await read()
  const text = decodeUtf8(data)
  const lines = text === '' ? [] : text.split('\n')
  const noEol = text !== '' && !text.endsWith('\n')
  if (!noEol && lines.length > 0) lines.pop()
  const stamp = mtime === undefined ? '' : `\t${strftime('%Y-%m-%d %H:%M:%S.%N +0000', { ms: mtime })}`
  return { name, lines, noEol, header: label ?? `${name}${stamp}` }
}

function rangeText(start: number, end: number): string {
  return end - start <= 1 ? String(end - start === 1 ? start + 1 : start) : `${start + 1},${end}`
}

function lineOut(side: Side, index: number, prefix: string): string {
  const last = index === side.lines.length - 1 && side.noEol
  return `${prefix}${side.lines[index]}\n${last ? '\\ No newline at end of file\n' : ''}`
}

function normal(a: Side, b: Side, changes: Change[]): string {
  let out = ''
  for (const c of changes) {
    const kind = c.aStart === c.aEnd ? 'a' : c.bStart === c.bEnd ? 'd' : 'c'
    const left = kind === 'a' ? String(c.aStart) : rangeText(c.aStart, c.aEnd)
    const right = kind === 'd' ? String(c.bStart) : rangeText(c.bStart, c.bEnd)
    out += `${left}${kind}${right}\n`
    for (let i = c.aStart; i < c.aEnd; i++) out += lineOut(a, i, '< ')
    if (kind === 'c') out += '---\n'
    for (let i = c.bStart; i < c.bEnd; i++) out += lineOut(b, i, '> ')
  }
  return out
}

function hunkRange(start: number, length: number): string {
  if (length === 1) return String(start + 1)
  return `${length === 0 ? start : start + 1},${length}`
}

function unified(a: Side, b: Side, changes: Change[], context: number): string {
  let out = `--- ${a.header}\n+++ ${b.header}\n`
  for (let first = 0; first < changes.length; ) {
    let last = first
    while (last + 1 < changes.length && (changes[last + 1] as Change).aStart - (changes[last] as Change).aEnd <= 2 * context) last++
    const head = changes[first] as Change
    const tail = changes[last] as Change
    const aFrom = Math.max(0, head.aStart - context)
    const aTo = Math.min(a.lines.length, tail.aEnd + context)
    const bFrom = head.bStart - (head.aStart - aFrom)
    const bTo = tail.bEnd + (aTo - tail.aEnd)
    out += `@@ -${hunkRange(aFrom, aTo - aFrom)} +${hunkRange(bFrom, bTo - bFrom)} @@\n`
    let ai = aFrom
    for (let c = first; c <= last; c++) {
      const change = changes[c] as Change
      for (; ai < change.aStart; ai++) out += lineOut(a, ai, ' ')
      for (let i = change.aStart; i < change.aEnd; i++) out += lineOut(a, i, '-')
      for (let i = change.bStart; i < change.bEnd; i++) out += lineOut(b, i, '+')
      ai = change.aEnd
    }
    for (; ai < aTo; ai++) out += lineOut(a, ai, ' ')
    first = last + 1
  }
  return out
}

export const diff: Command = async (ctx) => {
  const parsed = parseArgs('diff', ctx.args, SPEC)
  const [first, second, extra] = parsed.operands
  if (first === undefined) throw new UsageError(`missing operand after '${ctx.name}'`)
  if (second === undefined) throw new UsageError(`missing operand after '${first}'`)
  if (extra !== undefined) throw new UsageError(`extra operand '${extra}'`)
  const unifiedValue = parsed.options.find((o) => o.key === 'U' || o.key === 'u')
  const contextText = parsed.last('U')
  if (contextText !== undefined && !/^\d+$/.test(contextText)) throw new UsageError(`invalid context length '${contextText}'`)
  const context = contextText === undefined ? 3 : Number(contextText)
  const labels = parsed.all('L')
  const sides: Side[] = []
  for (const [index, operand] of [first, second].entries()) {
    try {
      sides.push(
        await load(operand, async () => {
          if (operand === '-') return { data: await ctx.stdin.readAll(), mtime: undefined }
          const path = resolve(ctx, operand)
          const stat = await ctx.fs.stat(path)
          if (stat.type === 'directory') throw new UnsupportedFeature('diff', 'comparing directories')
          return { data: await ctx.fs.read(path), mtime: stat.mtime }
        }, labels[index]),
      )
    } catch (thrown) {
      if (thrown instanceof UnsupportedFeature) throw thrown
      report(ctx, `${operand}: ${fsReason(thrown)}`)
      return 2
    }
  }
  const [a, b] = sides as [Side, Side]
  const key = keyer(parsed.has('i'), parsed.has('b'), parsed.has('w'))
  const keysOf = (side: Side) => side.lines.map((line, i) => key(line) + (side.noEol && i === side.lines.length - 1 ? '\n' : ''))
  let changes: Change[]
  try {
    changes = await myers(keysOf(a), keysOf(b), new Pacer(ctx.signal))
  } catch (thrown) {
    if (thrown instanceof DiffTooLarge) throw new UnsupportedFeature('diff', 'inputs this different')
    throw thrown
  }
  if (changes.length === 0) {
    if (parsed.has('s')) ctx.stdout.write(`Files ${first} and ${second} are identical\n`)
    return 0
  }
  if (parsed.has('q')) ctx.stdout.write(`Files ${first} and ${second} differ\n`)
  else ctx.stdout.write(unifiedValue ? unified(a, b, changes, context) : normal(a, b, changes))
  return 1
}

function keyer(ignoreCase: boolean, spaceChange: boolean, allSpace: boolean): (line: string) => string {
  return (line) => {
    let key = ignoreCase ? line.toLowerCase() : line
    if (allSpace) key = key.replace(/[ \t\r\f\v]+/g, '')
    else if (spaceChange) key = key.replace(/[ \t\r\f\v]+/g, ' ').replace(/ $/, '')
    return key
  }
}
