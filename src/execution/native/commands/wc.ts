/**
 * wc with -l -w -m -c (default -lwc), several files and a `total` line.
 * Column width follows GNU: 1 for a single count of a single input,
 * otherwise the digits of the regular files' total size, at least 7 when an
 * input is not a regular file (stdin, a directory). Words are runs of
 * printable non-space characters, as in a UTF-8 locale.
 */
import { parseArgs } from '../argv'
import type { Command } from '../context'
import { forEachInputBlock } from '../chunks'
import { fsCode, reportFsError } from '../io'
import { decodeUtf8 } from '../text'

const SPEC = {
  flags: 'lwmc',
  long: { lines: { key: 'l' }, words: { key: 'w' }, chars: { key: 'm' }, bytes: { key: 'c' } },
}

const ORDER = ['l', 'w', 'm', 'c'] as const
type Counts = Record<(typeof ORDER)[number], number>

/** Runs of iswspace characters in glibc's UTF-8 locales (no-break spaces are not spaces). */
const SPACES = /[\t\n\v\f\r \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+/u
/** A character that makes a run of non-spaces a word: anything but controls and undecodable bytes. */
const PRINTABLE = /[^\p{Cc}\p{Cs}\p{Cn}\ufffd]/u
const LOW_SURROGATES = /[\udc00-\udfff]/g

function count(data: Uint8Array): Counts {
  let lines = 0
  for (const byte of data) if (byte === 0x0a) lines++
  const text = decodeUtf8(data)
  // Characters are code points that decoded; U+FFFD stands for bytes that did not.
  const chars = text.length - (text.match(LOW_SURROGATES)?.length ?? 0) - (text.match(/\ufffd/g)?.length ?? 0)
  const words = text.split(SPACES).filter((run) => PRINTABLE.test(run)).length
  return { l: lines, w: words, m: chars, c: data.length }
}

interface Row {
  counts: Counts
  name: string | undefined
  /** Size when the input is a regular file; undefined for stdin and directories. */
  regularSize: number | undefined
}

export const wc: Command = async (ctx) => {
  const parsed = parseArgs('wc', ctx.args, SPEC)
  const selected = ORDER.filter((key) => parsed.has(key))
  const shown = selected.length > 0 ? selected : (['l', 'w', 'c'] as const)
  const operands = parsed.operands.length > 0 ? parsed.operands : [undefined]
  const rows: Row[] = []
  let ok = true
  for (const operand of operands) {
    ctx.signal.throwIfAborted()
    try {
      // Counts add up over stdin's newline-ended blocks: no word or character spans a newline.
      const counts: Counts = { l: 0, w: 0, m: 0, c: 0 }
      await forEachInputBlock(ctx, [operand ?? '-'], (data) => {
        const block = count(data)
        for (const key of ORDER) counts[key] += block[key]
      }, { onError: (_, thrown) => { throw thrown } })
      rows.push({ counts, name: operand, regularSize: operand === undefined || operand === '-' ? undefined : counts.c })
    } catch (thrown) {
      reportFsError(ctx, operand ?? '-', thrown)
      ok = false
      // A directory opens and reads as empty in GNU's count, so it still gets a row.
      if (fsCode(thrown) === 'EISDIR') rows.push({ counts: { l: 0, w: 0, m: 0, c: 0 }, name: operand, regularSize: undefined })
    }
  }
  let width = 1
  if (!(operands.length === 1 && shown.length === 1)) {
    const total = rows.reduce((sum, row) => sum + (row.regularSize ?? 0), 0)
    const irregular = rows.some((row) => row.regularSize === undefined)
    width = Math.max(String(total).length, irregular ? 7 : 1)
  }
  const line = (counts: Counts, name: string | undefined) =>
    shown.map((key) => String(counts[key]).padStart(width)).join(' ') + (name === undefined ? '' : ` ${name}`) + '\n'
  for (const row of rows) ctx.stdout.write(line(row.counts, row.name))
  if (operands.length > 1) {
    const totals: Counts = { l: 0, w: 0, m: 0, c: 0 }
    for (const row of rows) for (const key of ORDER) totals[key] += row.counts[key]
    ctx.stdout.write(line(totals, 'total'))
  }
  return ok ? 0 : 1
}
