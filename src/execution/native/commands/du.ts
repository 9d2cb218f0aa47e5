/**
 * du over fsx: `-s -a -c -h -k -b -d N` (`--max-depth`, `--summarize`,
 * `--all`, `--total`, `--human-readable`, `--bytes`, `--apparent-size`).
 * fsx stores no block counts, so usage is what ext4 allocates for the size:
 * whole 4 KiB blocks per file (an empty file none) and one block per
 * directory — what GNU du prints on this machine for files written in one go
 * (sparse files, extent blocks of very large files and hard links differ;
 * docs/native.md). An entry reached twice (`du d d/f`) is counted once, as
 * GNU does. Other options (`-B`, `-x`, `-L`, `--inodes`, `--time` …) go to
 * tier 4.
 */
import type { FileStat } from '../../../../types/execution'
import { parseArgs } from '../argv'
import { UsageError, type Command, type CommandContext } from '../context'
import { fsReason, report, resolve } from '../io'
import { quoteAlways, quoteLocale } from '../quote'
import { apparentSize, blocks512, humanSize } from '../file-info'
import { compareCodePoints, joinPath } from '../../fsx/paths'
import { joinDisplay } from '../walk'

const SPEC = {
  flags: 'sachkb',
  withValue: 'd',
  long: {
    summarize: { key: 's' },
    all: { key: 'a' },
    total: { key: 'c' },
    'human-readable': { key: 'h' },
    bytes: { key: 'b' },
    'apparent-size': { key: 'A' },
    'max-depth': { key: 'd', value: true },
  },
} as const

type Unit = 'k' | 'h' | 'b'

interface Settings {
  apparent: boolean
  unit: Unit
  all: boolean
  maxDepth: number
  seen: Set<string>
}

function show(bytes: number, unit: Unit): string {
  if (unit === 'b') return String(bytes)
  if (unit === 'h') return humanSize(bytes)
  return String(Math.ceil(bytes / 1024))
}

/** Bytes an entry accounts for: its apparent size, or its allocated blocks. */
function usage(stat: FileStat, apparent: boolean): number {
  return apparent ? apparentSize(stat) : blocks512(stat) * 512
}

/** Walks children before parents, printing what the options ask for; resolves to the bytes under `absolute`. */
async function measure(ctx: CommandContext, absolute: string, display: string, depth: number, settings: Settings): Promise<number> {
  ctx.signal.throwIfAborted()
  if (settings.seen.has(absolute)) return 0
  settings.seen.add(absolute)
  const stat = await ctx.fs.stat(absolute)
  let total = usage(stat, settings.apparent)
  if (stat.type === 'directory') {
    const children = (await ctx.fs.readdir(absolute)).sort((a, b) => compareCodePoints(a.name, b.name))
    for (const child of children) total += await measure(ctx, joinPath(absolute, child.name), joinDisplay(display, child.name), depth + 1, settings)
  }
  const listed = stat.type === 'directory' || settings.all || depth === 0
  if (listed && depth <= settings.maxDepth) ctx.stdout.write(`${show(total, settings.unit)}\t${display}\n`)
  return total
}

export const du: Command = async (ctx) => {
  const parsed = parseArgs('du', ctx.args, SPEC)
  const depthText = parsed.last('d')
  let maxDepth = Number.POSITIVE_INFINITY
  if (depthText !== undefined) {
    if (!/^\d+$/.test(depthText)) throw new UsageError(`invalid maximum depth ${quoteLocale(depthText)}`)
    maxDepth = Number(depthText)
  }
  if (parsed.has('s')) {
    if (depthText !== undefined && maxDepth !== 0) throw new UsageError(`warning: summarizing conflicts with --max-depth=${maxDepth}`)
    maxDepth = 0
  }
  if (parsed.has('s') && parsed.has('a')) throw new UsageError('cannot both summarize and show all entries')
  // The last of -h, -k and -b chooses the unit, as GNU's option loop does; -b also means apparent sizes.
  const unitOption = [...parsed.options].reverse().find((option) => option.key === 'h' || option.key === 'k' || option.key === 'b')
  const settings: Settings = {
    apparent: parsed.has('b') || parsed.has('A'),
    unit: (unitOption?.key as Unit | undefined) ?? 'k',
    all: parsed.has('a'),
    maxDepth,
    seen: new Set(),
  }
  let status = 0
  let grand = 0
  for (const operand of parsed.operands.length > 0 ? parsed.operands : ['.']) {
    try {
      grand += await measure(ctx, resolve(ctx, operand), operand, 0, settings)
    } catch (thrown) {
      report(ctx, `cannot access ${quoteAlways(operand)}: ${fsReason(thrown)}`)
      status = 1
    }
  }
  if (parsed.has('c')) ctx.stdout.write(`${show(grand, settings.unit)}\ttotal\n`)
  return status
}
