/**
 * Searching one input: selects lines (matching, or not with -v), and prints
 * them GNU's way — `name:`/`num:` prefixes (`-` for context lines), -o
 * matches, -A/-B/-C context with `--` between separate groups (also for a
 * context of 0), -m limits, --color=always. Input comes in blocks (a file
 * in one, stdin in newline-ended blocks as it arrives), so grep over an
 * endless pipe stops reading at -m or -q. Once a block with a NUL byte has
 * been read, or on a selected line that is not valid UTF-8, the input is
 * binary: grep then says `grep: NAME: binary file matches` on stderr instead
 * of printing lines (unless -a) — GNU decides per buffer the same way. The
 * loop paces itself by lines and regex steps so the call's deadline can stop
 * it.
 */
import type { CommandContext } from '../../context'
import { Pacer } from '../../pace'
import { decodeUtf8, decodeUtf8Strict, splitByteLines } from '../../text'
import type { Painter } from './color'
import type { Matcher } from './matcher'

export interface SearchSettings {
  matcher: Matcher
  invert: boolean
  lineNumbers: boolean
  onlyMatching: boolean
  /** 'lines' prints; the others only count. */
  mode: 'lines' | 'count' | 'files-with-matches' | 'files-without-match' | 'quiet'
  maxCount: number
  before: number
  after: number
  /** Whether -A, -B or -C was given (even as 0): groups are then separated by `--`. */
  context: boolean
  binaryAsText: boolean
  paint: Painter
}

/** Shared across the inputs of one grep run: the `--` separator spans files. */
export class SearchOutput {
  private printedAny = false
  readonly pacer: Pacer

  constructor(
    readonly ctx: CommandContext,
    readonly settings: SearchSettings,
  ) {
    this.pacer = new Pacer(ctx.signal)
  }

  /** Prints `--` before a group that does not continue the previous one. */
  groupStart(contiguous: boolean): void {
    if (this.settings.context && this.printedAny && !contiguous) this.ctx.stdout.write(`${this.settings.paint.separator('--')}\n`)
    this.printedAny = true
  }
}

interface Line {
  text: string
  valid: boolean
  /** A NUL byte was in this line's block or an earlier one. */
  binary: boolean
}

async function* linesOf(blocks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Line> {
  let binary = false
  for await (const block of blocks) {
    binary ||= block.includes(0)
    for (const bytes of splitByteLines(block)) {
      const body = bytes[bytes.length - 1] === 0x0a ? bytes.subarray(0, -1) : bytes
      const strict = decodeUtf8Strict(body)
      yield { text: strict ?? decodeUtf8(body), valid: strict !== undefined, binary }
    }
  }
}

/** The line with every match painted (GNU colours matches in selected, non-inverted lines). */
function paintMatches(settings: SearchSettings, text: string): string {
  let out = ''
  let copied = 0
  for (let match = settings.matcher.firstMatch(text, 0); match; match = settings.matcher.firstMatch(text, match.end)) {
    out += text.slice(copied, match.index) + settings.paint.match(text.slice(match.index, match.end))
    copied = match.end
  }
  return out + text.slice(copied)
}

/** Searches the input, block by block; returns how many lines were selected. */
export async function searchInput(
  output: SearchOutput,
  blocks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  name: string | undefined,
  messageName: string,
): Promise<number> {
  const { ctx, settings } = output
  const { paint, matcher } = settings
  const prefix = (index: number, separator: string) =>
    (name === undefined ? '' : `${paint.name(name)}${paint.separator(separator)}`) +
    (settings.lineNumbers ? `${paint.lineNumber(String(index + 1))}${paint.separator(separator)}` : '')
  let selected = 0
  let lastPrinted = -1
  let afterLeft = 0
  // Past -m only the trailing context is left to print.
  let trailing = false
  // The lines just before the current one, for -B context.
  const recent: Line[] = []
  const printContext = (index: number, line: Line) => {
    output.groupStart(index === lastPrinted + 1)
    ctx.stdout.write(`${prefix(index, '-')}${line.text}\n`)
    lastPrinted = index
  }
  const remember = (line: Line) => {
    if (settings.before === 0) return
    recent.push(line)
    if (recent.length > settings.before) recent.shift()
  }
  let index = -1
  for await (const line of linesOf(blocks)) {
    index++
    const work = matcher.counter.steps + index
    if (output.pacer.due(work)) await output.pacer.pause(work)
    const isSelected = matcher.test(line.text) !== settings.invert
    if (trailing) {
      if (isSelected) break
      printContext(index, line)
      if (--afterLeft === 0) break
      continue
    }
    if (!isSelected) {
      if (afterLeft > 0 && settings.mode === 'lines') {
        printContext(index, line)
        afterLeft--
      }
      remember(line)
      continue
    }
    if (selected >= settings.maxCount) break
    selected++
    if (settings.mode === 'quiet' || settings.mode === 'files-with-matches' || settings.mode === 'files-without-match') break
    if (settings.mode === 'count') continue
    if (!settings.binaryAsText && (line.binary || !line.valid)) {
      ctx.stderr.write(`grep: ${messageName}: binary file matches\n`)
      break
    }
    for (let context = Math.max(lastPrinted + 1, index - settings.before); context < index; context++) {
      printContext(context, recent[recent.length - (index - context)] as Line)
    }
    output.groupStart(index === lastPrinted + 1)
    lastPrinted = index
    afterLeft = settings.after
    if (!settings.onlyMatching) {
      const text = paint.on && !settings.invert ? paintMatches(settings, line.text) : line.text
      ctx.stdout.write(`${prefix(index, ':')}${text}\n`)
    } else if (!settings.invert) {
      for (let match = matcher.firstMatch(line.text, 0); match; match = matcher.firstMatch(line.text, match.end)) {
        ctx.stdout.write(`${prefix(index, ':')}${paint.match(line.text.slice(match.index, match.end))}\n`)
      }
    }
    remember(line)
    if (selected >= settings.maxCount) {
      // GNU stops reading at the limit but still prints the trailing context.
      if (afterLeft === 0) break
      trailing = true
    }
  }
  return selected
}
