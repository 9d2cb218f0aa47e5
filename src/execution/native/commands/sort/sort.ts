/**
 * sort with -r -n -u -f -b -d -i -s, -k (several), -t, -o and -c/-C. All
 * input is read first (an unreadable file stops sort with status 2, before
 * any output), lines without a final newline get one.
 */
import { parseArgs } from '../../argv'
import { UsageError, type Command, type CommandContext } from '../../context'
import { fsCode, fsReason, readOperand, report, resolve } from '../../io'
import { quoteAlways, quoteLocale } from '../../quote'
import { decodeUtf8, splitLines } from '../../text'
import { applyOrderingLetters, compareCodePointOrder, comparePrepared, hasOrdering, keyText, NO_ORDERING, parseKey, prepareKey, type KeyField, type Ordering, type PreparedKey } from './compare'

const SPEC = {
  flags: 'rnufbdisCcghMRV',
  withValue: 'kto',
  long: {
    reverse: { key: 'r' },
    'numeric-sort': { key: 'n' },
    unique: { key: 'u' },
    'ignore-case': { key: 'f' },
    'ignore-leading-blanks': { key: 'b' },
    'dictionary-order': { key: 'd' },
    'ignore-nonprinting': { key: 'i' },
    stable: { key: 's' },
    key: { key: 'k', value: true },
    'field-separator': { key: 't', value: true },
    output: { key: 'o', value: true },
    check: { key: 'c', value: 'optional' },
  },
} as const

type Compare = (a: string, b: string) => number

/** A line with its keys extracted and prepared once (sorting compares each line many times). */
interface Prepared {
  line: string
  keys: PreparedKey[]
}

function buildCompare(keys: readonly KeyField[], separator: string | undefined, global: Ordering, lastResort: boolean) {
  const prepare = (line: string): Prepared => ({ line, keys: keys.map((key) => prepareKey(keyText(line, key, separator), key)) })
  const compareEntries = (a: Prepared, b: Prepared): number => {
    for (const [index, key] of keys.entries()) {
      const diff = comparePrepared(a.keys[index] as PreparedKey, b.keys[index] as PreparedKey, key)
      if (diff !== 0) return diff
    }
    // With keys, -s and -u skip the whole-line tie-break; without keys it is the only comparison.
    if (keys.length > 0 && !lastResort) return 0
    const diff = compareCodePointOrder(a.line, b.line)
    return global.reverse ? -diff : diff
  }
  const compareLines: Compare = (a, b) => compareEntries(prepare(a), prepare(b))
  return { prepare, comparePrepared: compareEntries, compareLines }
}

async function readAll(ctx: CommandContext, operands: readonly string[]): Promise<Array<{ operand: string; lines: string[] }>> {
  const inputs = []
  for (const operand of operands.length > 0 ? operands : ['-']) {
    ctx.signal.throwIfAborted()
    try {
      inputs.push({ operand, lines: splitLines(decodeUtf8(await readOperand(ctx, operand))).lines })
    } catch (thrown) {
      const how = fsCode(thrown) === 'EISDIR' ? 'read failed' : 'cannot read'
      throw new UsageError(`${how}: ${operand}: ${fsReason(thrown)}`, false)
    }
  }
  return inputs
}

function separatorOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (value === '\\0') return '\0'
  if ([...value].length !== 1) throw new UsageError(`multi-character tab ${quoteLocale(value)}`, false)
  return value
}

/** -c / -C: report the first line out of order. */
function check(ctx: CommandContext, inputs: Array<{ operand: string; lines: string[] }>, compare: Compare, unique: boolean, quiet: boolean): number {
  for (const { operand, lines } of inputs) {
    for (let i = 1; i < lines.length; i++) {
      const diff = compare(lines[i - 1] as string, lines[i] as string)
      if (diff > 0 || (unique && diff === 0)) {
        if (!quiet) report(ctx, `${operand}:${i + 1}: disorder: ${lines[i]}`)
        return 1
      }
    }
  }
  return 0
}

export const sort: Command = async (ctx) => {
  const parsed = parseArgs('sort', ctx.args, SPEC)
  const global: Ordering = { ...NO_ORDERING }
  for (const option of parsed.options) {
    if (option.key.length === 1 && 'rnfbdighMRV'.includes(option.key)) applyOrderingLetters(option.key, 0, global, false)
  }
  global.skipEndBlanks = global.skipStartBlanks
  const keys = parsed.all('k').map((spec) => parseKey(spec, global))
  // Without -k, global orderings make the whole line one key.
  if (keys.length === 0 && hasOrdering({ ...global, reverse: false })) {
    keys.push({ ...global, startField: 0, startChar: 0, endField: Infinity, endChar: 0 })
  }
  const separator = separatorOf(parsed.last('t'))
  const unique = parsed.has('u')
  const comparison = buildCompare(keys, separator, global, !(unique || parsed.has('s')))
  const inputs = await readAll(ctx, parsed.operands)
  if ((parsed.has('c') || parsed.has('C')) && parsed.operands.length > 1) {
    throw new UsageError(`extra operand ${quoteAlways(parsed.operands[1] as string)} not allowed with -${parsed.has('c') ? 'c' : 'C'}`)
  }
  if (parsed.has('c') || parsed.has('C')) return check(ctx, inputs, comparison.compareLines, unique, parsed.has('C'))

  const sorted = inputs.flatMap((input) => input.lines.map(comparison.prepare)).sort(comparison.comparePrepared)
  const kept = (unique ? sorted.filter((entry, i) => i === 0 || comparison.comparePrepared(sorted[i - 1] as Prepared, entry) !== 0) : sorted).map((entry) => entry.line)
  const text = kept.length > 0 ? `${kept.join('\n')}\n` : ''
  const output = parsed.last('o')
  // /dev/stdout names the call's own stdout; fsx has no /dev to write into.
  if (output === undefined || output === '/dev/stdout') {
    ctx.stdout.write(text)
    return 0
  }
  try {
    await ctx.fs.write(resolve(ctx, output), text)
  } catch (thrown) {
    throw new UsageError(`open failed: ${output}: ${fsReason(thrown)}`, false)
  }
  return 0
}
