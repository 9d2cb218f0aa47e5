/**
 * grep: -E -F -G, -e/-f patterns, -i -v -w -x, -n -c -l -L -q -s -o -h -H,
 * -m, -A/-B/-C, -r/-R with --include/--exclude/--exclude-dir, -a,
 * --color=always. Exit
 * status 0 when a line was selected, 1 when none, 2 on an error (a -q run
 * that selected a line still exits 0).
 */
import { parseArgs } from '../../argv'
import { stdinBlocks } from '../../chunks'
import { UsageError, type Command, type CommandContext } from '../../context'
import { globToRegExp } from '../../glob'
import { fsReason, readOperand, report, resolve } from '../../io'
import { RegexSyntaxError } from '../../regex/errors'
import type { Regex } from '../../regex/index'
import { decodeUtf8, splitLines } from '../../text'
import { walk, type WalkEntry } from '../../walk'
import { painterFor } from './color'
import { Matcher } from './matcher'
import { SearchOutput, searchInput, type SearchSettings } from './search'

const SPEC = {
  flags: 'iyvncEFGrRlLwxqshHoa',
  withValue: 'efmABC',
  long: {
    'ignore-case': { key: 'i' },
    'invert-match': { key: 'v' },
    'line-number': { key: 'n' },
    count: { key: 'c' },
    'extended-regexp': { key: 'E' },
    'fixed-strings': { key: 'F' },
    'basic-regexp': { key: 'G' },
    recursive: { key: 'r' },
    'dereference-recursive': { key: 'R' },
    'files-with-matches': { key: 'l' },
    'files-without-match': { key: 'L' },
    'word-regexp': { key: 'w' },
    'line-regexp': { key: 'x' },
    quiet: { key: 'q' },
    silent: { key: 'q' },
    'no-messages': { key: 's' },
    'no-filename': { key: 'h' },
    'with-filename': { key: 'H' },
    'only-matching': { key: 'o' },
    text: { key: 'a' },
    regexp: { key: 'e', value: true },
    file: { key: 'f', value: true },
    'max-count': { key: 'm', value: true },
    'after-context': { key: 'A', value: true },
    'before-context': { key: 'B', value: true },
    context: { key: 'C', value: true },
    include: { key: 'include', value: true },
    exclude: { key: 'exclude', value: true },
    'exclude-dir': { key: 'exclude-dir', value: true },
    color: { key: 'color', value: 'optional' },
    colour: { key: 'color', value: 'optional' },
  },
} as const

const STDIN_NAME = '(standard input)'
/**
 * Stdin is searched in newline-ended blocks of at least this size: memory stays bounded over an
 * endless pipe and -m/-q stop reading early, while any input up to this size is decided (binary
 * or not) as a whole, as GNU decides one read buffer.
 */
const STDIN_BLOCK_BYTES = 1024 * 1024

function contextCount(text: string | undefined): number {
  if (text === undefined) return 0
  if (!/^\d+$/.test(text)) throw new UsageError(`${text}: invalid context length argument`, false)
  return Number(text)
}

class GrepRun {
  selectedAny = false
  failed = false
  readonly output: SearchOutput

  constructor(
    readonly ctx: CommandContext,
    settings: SearchSettings,
    private readonly quietErrors: boolean,
    private readonly include: Regex[],
    private readonly exclude: Regex[],
    private readonly excludeDir: Regex[],
  ) {
    this.output = new SearchOutput(ctx, settings)
  }

  fail(message: string): void {
    this.failed = true
    if (!this.quietErrors) report(this.ctx, message)
  }

  /** Whether --include/--exclude let a file be searched. */
  wanted(display: string): boolean {
    const base = display.slice(display.lastIndexOf('/') + 1)
    if (this.exclude.some((glob) => glob.test(base))) return false
    return this.include.length === 0 || this.include.some((glob) => glob.test(base))
  }

  descend = (entry: WalkEntry): boolean =>
    entry.depth === 0 || !this.excludeDir.some((glob) => glob.test(entry.display.slice(entry.display.lastIndexOf('/') + 1)))

  /** Searches one input; `shownName` is the prefix name (undefined for none). */
  async search(blocks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, shownName: string | undefined, messageName: string): Promise<void> {
    const settings = this.output.settings
    const selected = await searchInput(this.output, blocks, shownName, messageName)
    if (selected > 0) this.selectedAny = true
    const { paint } = settings
    const name = paint.name(shownName ?? messageName)
    if (settings.mode === 'count') {
      this.ctx.stdout.write(shownName === undefined ? `${selected}\n` : `${paint.name(shownName)}${paint.separator(':')}${selected}\n`)
    }
    if (settings.mode === 'files-with-matches' && selected > 0) this.ctx.stdout.write(`${name}\n`)
    if (settings.mode === 'files-without-match' && selected === 0) this.ctx.stdout.write(`${name}\n`)
  }
}

async function readPatterns(ctx: CommandContext, files: readonly string[], inline: readonly string[]): Promise<string[]> {
  const patterns = inline.flatMap((pattern) => pattern.split('\n'))
  for (const file of files) {
    try {
      patterns.push(...splitLines(decodeUtf8(await readOperand(ctx, file))).lines)
    } catch (thrown) {
      throw new UsageError(`${file}: ${fsReason(thrown)}`, false)
    }
  }
  return patterns
}

export const grep: Command = async (ctx) => {
  const parsed = parseArgs('grep', ctx.args, SPEC)
  const operands = [...parsed.operands]
  const explicit = parsed.has('e') || parsed.has('f')
  if (!explicit && operands.length === 0) {
    throw new UsageError('Usage: grep [OPTION]... PATTERNS [FILE]...', true, true)
  }
  const patterns = await readPatterns(ctx, parsed.all('f'), explicit ? parsed.all('e') : [operands.shift() as string])
  const syntax = parsed.options.reduce<'basic' | 'extended' | 'fixed'>(
    (current, option) => ({ E: 'extended' as const, F: 'fixed' as const, G: 'basic' as const })[option.key as 'E'] ?? current,
    'basic',
  )
  let matcher: Matcher
  try {
    matcher = new Matcher(patterns, {
      syntax,
      ignoreCase: parsed.has('i') || parsed.has('y'),
      wordRegexp: parsed.has('w'),
      lineRegexp: parsed.has('x'),
    })
  } catch (thrown) {
    if (!(thrown instanceof RegexSyntaxError)) throw thrown
    report(ctx, thrown.message)
    return 2
  }
  const maxText = parsed.last('m')
  if (maxText !== undefined && !/^-?\d+$/.test(maxText)) throw new UsageError(`invalid max count`, false)
  const context = contextCount(parsed.last('C'))
  const mode = parsed.has('q') ? 'quiet' : parsed.has('l') ? 'files-with-matches' : parsed.has('L') ? 'files-without-match' : parsed.has('c') ? 'count' : 'lines'
  const settings: SearchSettings = {
    matcher,
    invert: parsed.has('v'),
    lineNumbers: parsed.has('n'),
    onlyMatching: parsed.has('o'),
    mode,
    maxCount: maxText === undefined || Number(maxText) < 0 ? Infinity : Number(maxText),
    before: parsed.has('B') ? contextCount(parsed.last('B')) : context,
    after: parsed.has('A') ? contextCount(parsed.last('A')) : context,
    context: parsed.has('A') || parsed.has('B') || parsed.has('C'),
    binaryAsText: parsed.has('a'),
    paint: painterFor(parsed.last('color')),
  }
  const globs = (key: string) => parsed.all(key).map((pattern) => globToRegExp(pattern))
  const run = new GrepRun(ctx, settings, parsed.has('s'), globs('include'), globs('exclude'), globs('exclude-dir'))
  const recursive = parsed.has('r') || parsed.has('R')
  const filenames = parsed.options.reduce<boolean | undefined>((v, o) => (o.key === 'H' ? true : o.key === 'h' ? false : v), undefined)
  const inputs = operands.length > 0 ? operands : [recursive ? '.' : '-']
  // grep -r without operands searches . but names what it finds without the ./ prefix.
  const implicitDot = operands.length === 0 && recursive
  const prefixAll = filenames ?? inputs.length > 1

  for (const operand of inputs) {
    if (mode === 'quiet' && run.selectedAny) break
    if (operand === '-') {
      await run.search(stdinBlocks(ctx, STDIN_BLOCK_BYTES), prefixAll ? STDIN_NAME : undefined, STDIN_NAME)
      continue
    }
    let absolute: string
    let type
    try {
      absolute = resolve(ctx, operand)
      type = (await ctx.fs.stat(absolute)).type
    } catch (thrown) {
      run.fail(`${operand}: ${fsReason(thrown)}`)
      continue
    }
    if (type === 'directory' && !recursive) {
      run.fail(`${operand}: Is a directory`)
      continue
    }
    // Like GNU, a lone operand gets name prefixes only when it is a directory being searched recursively.
    const prefixNames = filenames ?? (prefixAll || type === 'directory')
    const entries = walk(ctx, { display: implicitDot ? '' : operand, absolute, type, depth: 0 }, {
      onError: (entry, thrown) => run.fail(`${entry.display}: ${fsReason(thrown)}`),
      descend: run.descend,
    })
    for await (const entry of entries) {
      if (entry.type !== 'file' || !run.wanted(entry.display)) continue
      let data: Uint8Array
      try {
        data = await ctx.fs.read(entry.absolute)
      } catch (thrown) {
        run.fail(`${entry.display}: ${fsReason(thrown)}`)
        continue
      }
      await run.search([data], prefixNames ? entry.display : undefined, entry.display)
      if (mode === 'quiet' && run.selectedAny) break
    }
  }
  if (mode === 'quiet' && run.selectedAny) return 0
  if (run.failed) return 2
  return run.selectedAny ? 0 : 1
}
