/**
 * uniq with -c -d -D -u -i, -f N (skip fields), -s N (skip characters), -w N
 * (compare at most N), and the optional OUTPUT operand. Adjacent lines only,
 * as always; -i folds ASCII letters like GNU's byte-wise comparison.
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, UsageError, type Command } from '../context'
import { readOrReport, reportFsError, resolve } from '../io'
import { quoteLocale } from '../quote'
import { decodeUtf8, splitLines } from '../text'

const SPEC = {
  flags: 'cduiD',
  withValue: 'fsw',
  long: {
    count: { key: 'c' },
    repeated: { key: 'd' },
    'all-repeated': { key: 'D', value: 'optional' as const },
    unique: { key: 'u' },
    'ignore-case': { key: 'i' },
    'skip-fields': { key: 'f', value: true },
    'skip-chars': { key: 's', value: true },
    'check-chars': { key: 'w', value: true },
  },
}

function count(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new UsageError(`${quoteLocale(value)}: invalid number of ${what} to ${what === 'bytes' ? 'compare' : 'skip'}`, false)
  return Number(value)
}

export const uniq: Command = async (ctx) => {
  const parsed = parseArgs('uniq', ctx.args, SPEC)
  const [input = '-', output, extra] = parsed.operands
  if (extra !== undefined) throw new UsageError(`extra operand ${quoteLocale(extra)}`)
  const skipFields = count(parsed.last('f'), 'fields') ?? 0
  const skipChars = count(parsed.last('s'), 'bytes') ?? 0
  const checkChars = count(parsed.last('w'), 'bytes')
  const ignoreCase = parsed.has('i')
  const comparable = (line: string): string => {
    let rest = line
    for (let field = 0; field < skipFields; field++) rest = rest.replace(/^[ \t]*[^ \t]*/, '')
    rest = rest.slice(skipChars)
    if (checkChars !== undefined) rest = rest.slice(0, checkChars)
    return ignoreCase ? rest.replace(/[a-z]/g, (c) => c.toUpperCase()) : rest
  }
  const data = await readOrReport(ctx, input)
  if (!data) return 1
  const { lines } = splitLines(decodeUtf8(data))
  const showCount = parsed.has('c')
  const onlyRepeated = parsed.has('d')
  const onlyUnique = parsed.has('u')
  const allRepeated = parsed.has('D')
  if (allRepeated && (parsed.last('D') !== undefined || showCount || onlyUnique)) throw new UnsupportedFeature('uniq', '-D with a delimit method, -c or -u')
  let out = ''
  for (let start = 0; start < lines.length; ) {
    const key = comparable(lines[start] as string)
    let end = start + 1
    while (end < lines.length && comparable(lines[end] as string) === key) end++
    const size = end - start
    if (allRepeated) {
      if (size > 1) for (let i = start; i < end; i++) out += `${lines[i]}\n`
    } else if (!(onlyRepeated && size === 1) && !(onlyUnique && size > 1)) {
      out += `${showCount ? `${String(size).padStart(7)} ` : ''}${lines[start]}\n`
    }
    start = end
  }
  if (output === undefined || output === '-') {
    ctx.stdout.write(out)
    return 0
  }
  try {
    await ctx.fs.write(resolve(ctx, output), out)
  } catch (thrown) {
    reportFsError(ctx, output, thrown)
    return 1
  }
  return 0
}
