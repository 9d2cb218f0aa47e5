/**
 * stat with -c/--format and --printf (which also decodes backslash escapes
 * and adds no newline), and a reduced default report. fsx keeps one time per
 * entry, so access, change and birth times all show the mtime; see
 * file-info.ts for owners, links and blocks.
 */
import type { FileStat } from '../../../../types/execution'
import { parseArgs } from '../argv'
import { ByteBuilder } from '../bytes'
import { UsageError, type Command } from '../context'
import { decodeEscape } from '../escapes'
import { fsReason, report, resolve } from '../io'
import { quoteAlways } from '../quote'
import { strftime } from '../strftime'
import { apparentSize, blocks512, linkCount, modeString, OWNER, typeName } from '../file-info'

const DEFAULT_FORMAT = [
  '  File: %n',
  '  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F',
  'Access: (%04a/%A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)',
  'Modify: %y',
].join('\n')

function directive(letter: string, operand: string, stat: FileStat): string | undefined {
  const human = () => strftime('%Y-%m-%d %H:%M:%S.%N +0000', { ms: stat.mtime })
  const seconds = () => String(Math.floor(stat.mtime / 1000))
  switch (letter) {
    case 'n': return operand
    case 'N': return quoteAlways(operand)
    case 's': return String(apparentSize(stat))
    case 'F': return typeName(stat)
    case 'a': return (stat.mode & 0o7777).toString(8)
    case 'A': return modeString(stat)
    case 'f': return ((stat.type === 'directory' ? 0o40000 : 0o100000) | stat.mode).toString(16)
    case 'b': return String(blocks512(stat))
    case 'B': return '512'
    case 'o': return '4096'
    case 'h': return String(linkCount(stat))
    case 'u':
    case 'g': return String(OWNER.id)
    case 'U':
    case 'G': return OWNER.name
    case 'x':
    case 'y':
    case 'z': return human()
    case 'X':
    case 'Y':
    case 'Z': return seconds()
    case 'w': return '-'
    case 'W': return '0'
    case 'i':
    case 'd':
    case 't':
    case 'T': return '0'
    case '%': return '%'
  }
  return undefined
}

function render(format: string, operand: string, stat: FileStat, escapes: boolean): Uint8Array {
  const out = new ByteBuilder()
  let i = 0
  while (i < format.length) {
    const char = format[i] as string
    if (char === '\\' && escapes) {
      i = decodeEscape(format, i, out, 'format').next
      continue
    }
    const match = char === '%' ? /^%([-#+ 0]*)(\d*)(?:\.(\d+))?(.)/su.exec(format.slice(i)) : null
    if (!match) {
      out.text(char)
      i++
      continue
    }
    const [whole, flags = '', width = '', , letter = ''] = match
    const value = directive(letter, operand, stat)
    i += whole.length
    if (value === undefined) {
      out.text('?')
      continue
    }
    const size = Number(width || '0')
    const padded = flags.includes('-') ? value.padEnd(size) : value.padStart(size, flags.includes('0') ? '0' : ' ')
    out.text(padded)
  }
  return out.bytes()
}

export const stat: Command = async (ctx) => {
  const parsed = parseArgs('stat', ctx.args, {
    flags: 'L',
    withValue: 'c',
    long: { format: { key: 'c', value: true }, printf: { key: 'printf', value: true }, dereference: { key: 'L' } },
  })
  if (parsed.operands.length === 0) throw new UsageError('missing operand')
  // The last of -c/--format and --printf wins, as in GNU's option loop.
  const chosen = [...parsed.options].reverse().find((option) => option.key === 'c' || option.key === 'printf')
  const printf = chosen?.key === 'printf' ? chosen.value : undefined
  const format = chosen?.value ?? DEFAULT_FORMAT
  let status = 0
  for (const operand of parsed.operands) {
    try {
      const info = await ctx.fs.stat(resolve(ctx, operand))
      ctx.stdout.write(render(format, operand, info, printf !== undefined))
      if (printf === undefined) ctx.stdout.write('\n')
    } catch (thrown) {
      report(ctx, `cannot statx ${quoteAlways(operand)}: ${fsReason(thrown)}`)
      status = 1
    }
  }
  return status
}
