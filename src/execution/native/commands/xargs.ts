/**
 * xargs [-0] [-d DELIM] [-n MAX] [-L MAX] [-I REPL] [-r] [-t] [-P 1] [COMMAND [ARG...]]
 *
 * Reads items from stdin (blank-separated with GNU's quoting and
 * backslashes; NUL-separated with -0; DELIM-separated with -d) and runs
 * COMMAND (default echo) with them, through `ctx.run`: the router picks each
 * command's tier, so `xargs grep` stays on tier 1 and `xargs python3` goes
 * to tier 4. Exit status as GNU: 123 when a command exits 1–125, 124 when one
 * exits 255 (and stops), 127 when the command does not exist. -P other than
 * 1, -s, -x, -E, -a and other options go to tier 4.
 */
import { UnsupportedFeature, UsageError, type Command, type CommandContext } from '../context'
import { report } from '../io'
import { quoteAlways } from '../quote'
import { runSubcommand } from '../subcommand'
import { decodeUtf8 } from '../text'

interface Options {
  delimiter?: string
  maxArgs?: number
  maxLines?: number
  replace?: string
  noRunIfEmpty: boolean
  trace: boolean
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' }

function positive(option: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`invalid number "${text}" for -${option} option`)
  if (Number(text) < 1) throw new UsageError(`value ${text} for -${option} option should be >= 1`)
  return Number(text)
}

function parseOptions(args: readonly string[]): { options: Options; command: string[] } {
  const options: Options = { noRunIfEmpty: false, trace: false }
  let i = 0
  for (; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '--') {
      i++
      break
    }
    if (!arg.startsWith('-') || arg === '-') break
    const flag = arg[1] as string
    const attached = arg.slice(2)
    const value = (): string => {
      if (attached !== '') return attached
      const next = args[++i]
      if (next === undefined) throw new UsageError(`option requires an argument -- '${flag}'`)
      return next
    }
    switch (flag) {
      case '0':
        options.delimiter = '\0'
        if (attached) throw new UnsupportedFeature('xargs', `the option ${arg}`)
        break
      case 'd': {
        const text = value()
        const delimiter = text.length === 2 && text[0] === '\\' ? ESCAPES[text[1] as string] : text.length === 1 ? text : undefined
        if (delimiter === undefined) throw new UnsupportedFeature('xargs', `the delimiter ${text}`)
        options.delimiter = delimiter
        break
      }
      case 'n':
        options.maxArgs = positive('n', value())
        break
      case 'L':
        options.maxLines = positive('L', value())
        break
      case 'I':
        options.replace = value()
        break
      case 'r':
      case 't':
        if (attached) throw new UnsupportedFeature('xargs', `the combined options ${arg}`)
        if (flag === 'r') options.noRunIfEmpty = true
        else options.trace = true
        break
      case 'P':
        if (value() !== '1') throw new UnsupportedFeature('xargs', 'parallel runs (-P other than 1)')
        break
      default:
        throw new UnsupportedFeature('xargs', `the option ${arg}`)
    }
  }
  return { options, command: args.slice(i) }
}

interface ParsedItems {
  items: string[]
  lineEnds: Set<number>
  /** An unmatched quote stopped the input: the items before it still run, then xargs fails. */
  unmatched?: string
}

/**
 * GNU's default input: blank-separated items, quotes and backslashes group;
 * lines are tracked for -L. With `keepBlanks` (-I) only newlines separate.
 */
function blankItems(text: string, keepBlanks = false): ParsedItems {
  const items: string[] = []
  const lineEnds = new Set<number>()
  let current = ''
  let inItem = false
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (quote) {
      if (c === quote) quote = undefined
      else if (c === '\n') return { items, lineEnds, unmatched: quote }
      else current += c
      continue
    }
    if (c === '"' || c === "'") {
      quote = c
      inItem = true
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[++i]
      inItem = true
    } else if (c === '\n' || (!keepBlanks && (c === ' ' || c === '\t'))) {
      if (inItem) items.push(current)
      current = ''
      inItem = false
      // A line ends at a newline unless it ends in a blank (GNU's -L continuation).
      if (c === '\n' && items.length > 0 && text[i - 1] !== ' ' && text[i - 1] !== '\t') lineEnds.add(items.length)
    } else {
      current += c
      inItem = true
    }
  }
  if (quote) return { items, lineEnds, unmatched: quote }
  if (inItem) items.push(current)
  if (items.length > 0) lineEnds.add(items.length)
  return { items, lineEnds }
}

/** Splits the items into the argument lists of successive commands. */
function batches(items: string[], lineEnds: Set<number>, options: Options): string[][] {
  if (items.length === 0) return []
  const out: string[][] = []
  if (options.maxLines !== undefined) {
    let batch: string[] = []
    let lines = 0
    items.forEach((item, index) => {
      batch.push(item)
      if (lineEnds.has(index + 1) && ++lines === options.maxLines) {
        out.push(batch)
        batch = []
        lines = 0
      }
    })
    if (batch.length > 0) out.push(batch)
    return out
  }
  const size = options.maxArgs ?? items.length
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Runs one command and copies its output; resolves to its status (127: no such command). */
async function invoke(ctx: CommandContext, argv: string[], options: Options): Promise<number> {
  if (options.trace) ctx.stderr.write(`${argv.map((arg) => (/^[A-Za-z0-9_./=:,+-]+$/.test(arg) ? arg : quoteAlways(arg))).join(' ')}\n`)
  const status = await runSubcommand(ctx, argv)
  if (status !== 'missing') return status
  report(ctx, `${argv[0]}: No such file or directory`)
  return 127
}

export const xargs: Command = async (ctx) => {
  const { options, command: given } = parseOptions(ctx.args)
  const command = given.length > 0 ? given : ['echo']
  const text = decodeUtf8(await ctx.stdin.readAll())
  let parsed: ParsedItems
  if (options.delimiter !== undefined) {
    const items = text.split(options.delimiter)
    if (items[items.length - 1] === '') items.pop()
    parsed = { items, lineEnds: new Set(items.map((_, index) => index + 1)) }
  } else {
    // -I: one command per line, leading blanks dropped, quotes still special.
    parsed = blankItems(options.replace === undefined ? text : text.replace(/^[ \t]+/gm, ''), options.replace !== undefined)
  }
  let argLists: string[][]
  if (options.replace !== undefined) {
    const replace = options.replace
    argLists = parsed.items.filter((item) => item !== '').map((item) => [command[0] as string, ...command.slice(1).map((arg) => arg.split(replace).join(item))])
  } else {
    argLists = batches(parsed.items, parsed.lineEnds, options).map((batch) => [...command, ...batch])
    if (argLists.length === 0 && !options.noRunIfEmpty && !parsed.unmatched) argLists = [[...command]]
  }
  let status = 0
  for (const argv of argLists) {
    const code = await invoke(ctx, argv, options)
    if (code === 127) return 127
    if (code === 255) {
      report(ctx, `${argv[0]}: exited with status 255; aborting`)
      return 124
    }
    if (code !== 0) status = 123
  }
  if (parsed.unmatched) {
    report(ctx, `unmatched ${parsed.unmatched === '"' ? 'double' : 'single'} quote; by default quotes are special to xargs unless you use the -0 option`)
    return 1
  }
  return status
}
