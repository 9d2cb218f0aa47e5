/**
 * cut with -f (and -d, -s), -b, -c, --complement and --output-delimiter.
 * Lists are `N`, `N-`, `-M`, `N-M`, comma-separated, 1-based. -b cuts
 * bytes; -c cuts characters (GNU cuts bytes for -c too, so the two differ
 * only on multi-byte characters).
 */
import { parseArgs } from '../argv'
import { ByteBuilder } from '../bytes'
import { UsageError, type Command } from '../context'
import { forEachInputBlock } from '../chunks'
import { quoteLocale } from '../quote'
import { decodeUtf8, splitByteLines, splitLines } from '../text'

const SPEC = {
  flags: 'sn',
  withValue: 'bcfd',
  long: {
    bytes: { key: 'b', value: true },
    characters: { key: 'c', value: true },
    fields: { key: 'f', value: true },
    delimiter: { key: 'd', value: true },
    'only-delimited': { key: 's' },
    complement: { key: 'complement' },
    'output-delimiter': { key: 'output-delimiter', value: true },
  },
}

interface Range {
  from: number
  to: number
}

function parseList(list: string, mode: 'b' | 'c' | 'f'): Range[] {
  const ranges: Range[] = []
  for (const part of list.split(/[,\s]/)) {
    const match = /^(\d*)(-?)(\d*)$/.exec(part)
    if (!match || part === '' || part === '-') {
      throw new UsageError(`invalid ${mode === 'f' ? 'field' : 'byte/character position'} value ${quoteLocale(part)}`)
    }
    const [, low = '', dash = '', high = ''] = match
    const from = low === '' ? 1 : Number(low)
    const to = dash === '' ? from : high === '' ? Infinity : Number(high)
    if (from === 0 || to === 0) {
      throw new UsageError(mode === 'f' ? 'fields are numbered from 1' : 'byte/character positions are numbered from 1')
    }
    if (to < from) throw new UsageError('invalid decreasing range')
    ranges.push({ from, to })
  }
  return ranges
}

/** Selected 1-based positions among `count`, in order, as runs of adjacent positions. */
function selectRuns(ranges: readonly Range[], count: number, complement: boolean): Range[] {
  const runs: Range[] = []
  for (let position = 1; position <= count; position++) {
    const selected = ranges.some((range) => position >= range.from && position <= range.to) !== complement
    if (!selected) continue
    const last = runs[runs.length - 1]
    if (last && last.to === position - 1) last.to = position
    else runs.push({ from: position, to: position })
  }
  return runs
}

export const cut: Command = async (ctx) => {
  const parsed = parseArgs('cut', ctx.args, SPEC)
  const lists = parsed.options.filter((option) => 'bcf'.includes(option.key) && option.key.length === 1)
  if (lists.length === 0) throw new UsageError('you must specify a list of bytes, characters, or fields')
  if (lists.length > 1) throw new UsageError('only one list may be specified')
  const mode = (lists[0] as { key: 'b' | 'c' | 'f' }).key
  const ranges = parseList(lists[0]?.value ?? '', mode)
  const delimiter = parsed.last('d')
  if (delimiter !== undefined && mode !== 'f') throw new UsageError('an input delimiter may be specified only when operating on fields')
  if (delimiter !== undefined && [...delimiter].length > 1) throw new UsageError('the delimiter must be a single character')
  const inputDelimiter = delimiter === '' ? '\0' : (delimiter ?? '\t')
  const complement = parsed.has('complement')
  const outputDelimiter = parsed.last('output-delimiter')
  const onlyDelimited = parsed.has('s')

  const ok = await forEachInputBlock(ctx, parsed.operands, (data) => {
    const out = new ByteBuilder()
    if (mode === 'b') {
      for (const line of splitByteLines(data)) {
        const body = line[line.length - 1] === 0x0a ? line.subarray(0, -1) : line
        selectRuns(ranges, body.length, complement).forEach((run, index) => {
          if (index > 0 && outputDelimiter !== undefined) out.text(outputDelimiter)
          out.append(body.subarray(run.from - 1, run.to))
        })
        out.byte(0x0a)
      }
    } else {
      for (const line of splitLines(decodeUtf8(data)).lines) {
        if (mode === 'c') {
          const chars = [...line]
          const runs = selectRuns(ranges, chars.length, complement)
          out.text(runs.map((run) => chars.slice(run.from - 1, run.to).join('')).join(outputDelimiter ?? ''))
        } else if (!line.includes(inputDelimiter)) {
          if (onlyDelimited) continue
          out.text(line)
        } else {
          const fields = line.split(inputDelimiter)
          const picked = selectRuns(ranges, fields.length, complement).flatMap((run) => fields.slice(run.from - 1, run.to))
          out.text(picked.join(outputDelimiter ?? inputDelimiter))
        }
        out.byte(0x0a)
      }
    }
    ctx.stdout.write(out.bytes())
  })
  return ok ? 0 : 1
}

