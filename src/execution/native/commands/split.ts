/**
 * split over fsx: `-l N` lines, `-b SIZE` bytes, `-n N`, `-n l/N` (chunks
 * that do not break lines) and `-n K/N`, `-n l/K/N` (one chunk to stdout);
 * `-d` numeric and `-a N` suffix lengths, `--additional-suffix`, `--verbose`,
 * `[FILE [PREFIX]]`. Without `-a` the suffix widens as GNU's does (`xyz`,
 * then `xzaaa`), so any number of pieces gets a name. Other options (`-C`,
 * `-e`, `-t`, `-x`, `--filter`, `-n r/N` …) go to tier 4.
 */
import { parseArgs } from '../argv'
import { UnsupportedFeature, UsageError, type Command, type CommandContext } from '../context'
import { parseCount } from '../counts'
import { fsReason, readOperand, report, resolve } from '../io'
import { quoteAlways, quoteLocale } from '../quote'

const SPEC = {
  withValue: 'lbna',
  flags: 'd',
  long: {
    lines: { key: 'l', value: true },
    bytes: { key: 'b', value: true },
    number: { key: 'n', value: true },
    'suffix-length': { key: 'a', value: true },
    'numeric-suffixes': { key: 'd' },
    'additional-suffix': { key: 's', value: true },
    verbose: { key: 'v' },
  },
} as const

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'
const DIGITS = '0123456789'

/** Output names in GNU's order: fixed length with -a, else widening when the first digit reaches the last symbol. */
class Names {
  private readonly digits: number[]
  private stem: string
  private first = true

  constructor(
    prefix: string,
    private readonly alphabet: string,
    length: number,
    private readonly widen: boolean,
    private readonly suffix: string,
  ) {
    this.stem = prefix
    this.digits = new Array<number>(length).fill(0)
  }

  /** The next name, or undefined when a fixed-length suffix is exhausted. */
  next(): string | undefined {
    if (!this.first && !this.advance()) return undefined
    this.first = false
    if (this.widen && this.digits[0] === this.alphabet.length - 1) {
      // GNU: the leading last symbol moves into the stem and the suffix grows by one.
      this.stem += this.alphabet[this.alphabet.length - 1]
      this.digits.fill(0)
      this.digits.push(0)
    }
    return this.stem + this.digits.map((d) => this.alphabet[d]).join('') + this.suffix
  }

  private advance(): boolean {
    for (let i = this.digits.length - 1; i >= 0; i--) {
      if ((this.digits[i] as number) + 1 < this.alphabet.length) {
        this.digits[i] = (this.digits[i] as number) + 1
        return true
      }
      this.digits[i] = 0
    }
    return false
  }
}

/** Byte offsets [start, end) of each piece. */
function byLines(data: Uint8Array, count: number): Array<[number, number]> {
  const pieces: Array<[number, number]> = []
  let start = 0
  let lines = 0
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0a && ++lines === count) {
      pieces.push([start, i + 1])
      start = i + 1
      lines = 0
    }
  }
  if (start < data.length) pieces.push([start, data.length])
  return pieces
}

function byBytes(length: number, size: number): Array<[number, number]> {
  const pieces: Array<[number, number]> = []
  for (let start = 0; start < length; start += size) pieces.push([start, Math.min(length, start + size)])
  return pieces
}

/** GNU's -n N: N pieces of size/N bytes, the last one taking the remainder; l/N moves each end past its line. */
function chunks(data: Uint8Array, count: number, keepLines: boolean): Array<[number, number]> {
  const size = Math.floor(data.length / count)
  const pieces: Array<[number, number]> = []
  let start = 0
  for (let k = 1; k <= count; k++) {
    let end = k === count ? data.length : k * size
    if (keepLines && k < count && end > 0) {
      const newline = data.indexOf(0x0a, Math.max(start, end - 1))
      end = newline === -1 ? data.length : newline + 1
    }
    end = Math.max(start, end)
    pieces.push([start, end])
    start = end
  }
  return pieces
}

interface ChunkRequest {
  keepLines: boolean
  only: number | undefined
  count: number
}

function parseChunks(text: string): ChunkRequest {
  const match = /^(?:(l)\/)?(?:(\d+)\/)?(\d+)$/.exec(text)
  if (!match) {
    if (/^r\//.test(text)) throw new UnsupportedFeature('split', `-n ${text} (round robin)`)
    throw new UsageError(`invalid number of chunks: ${quoteLocale(text)}`, false)
  }
  const count = Number(match[3])
  const only = match[2] === undefined ? undefined : Number(match[2])
  if (count === 0) throw new UsageError(`invalid number of chunks: ${quoteLocale(text)}`, false)
  if (only !== undefined && (only === 0 || only > count)) throw new UsageError(`invalid chunk number: ${quoteLocale(String(only))}`, false)
  return { keepLines: match[1] === 'l', only, count }
}

function positive(text: string, what: string): number {
  const value = parseCount(text, what)
  if (value === 0) throw new UsageError(`invalid number of ${what}: ${quoteLocale(text)}`, false)
  return value
}

async function writePieces(ctx: CommandContext, data: Uint8Array, pieces: Array<[number, number]>, names: Names, verbose: boolean): Promise<number> {
  for (const [start, end] of pieces) {
    ctx.signal.throwIfAborted()
    const name = names.next()
    if (name === undefined) {
      report(ctx, 'output file suffixes exhausted')
      return 1
    }
    if (verbose) ctx.stdout.write(`creating file ${quoteAlways(name)}\n`)
    await ctx.fs.write(resolve(ctx, name), data.slice(start, end))
  }
  return 0
}

export const split: Command = async (ctx) => {
  const parsed = parseArgs('split', ctx.args, SPEC)
  const [input = '-', prefix = 'x', ...extra] = parsed.operands
  if (extra.length > 0) throw new UsageError(`extra operand ${quoteAlways(extra[0] as string)}`)
  const modes = ['l', 'b', 'n'].filter((key) => parsed.has(key))
  if (modes.length > 1) throw new UsageError('cannot split in more than one way')
  const lengthText = parsed.last('a')
  const length = lengthText === undefined ? 2 : parseCount(lengthText, 'suffix length')
  if (parsed.has('s') && (parsed.last('s') as string).includes('/')) throw new UsageError(`invalid suffix ${quoteLocale(parsed.last('s') as string)}, contains directory separator`, true)

  let data: Uint8Array
  try {
    data = await readOperand(ctx, input)
  } catch (thrown) {
    report(ctx, `cannot open ${quoteAlways(input)} for reading: ${fsReason(thrown)}`)
    return 1
  }
  let pieces: Array<[number, number]>
  if (parsed.has('n')) {
    const request = parseChunks(parsed.last('n') as string)
    pieces = chunks(data, request.count, request.keepLines)
    if (request.only !== undefined) {
      const [start, end] = pieces[request.only - 1] as [number, number]
      ctx.stdout.write(data.slice(start, end))
      return 0
    }
  } else if (parsed.has('b')) pieces = byBytes(data.length, positive(parsed.last('b') as string, 'bytes'))
  else pieces = byLines(data, positive(parsed.last('l') ?? '1000', 'lines'))

  const names = new Names(prefix, parsed.has('d') ? DIGITS : LETTERS, length, lengthText === undefined, parsed.last('s') ?? '')
  return writePieces(ctx, data, pieces, names, parsed.has('v'))
}
