/**
 * Searching one input: selects lines (matching, or not with -v), and prints
 * them GNU's way — `name:`/`num:` prefixes (`-` for context lines), -o
 * matches, -A/-B/-C context with `--` between separate groups (also for a
 * context of 0), -m limits, --color=always. A file with a NUL byte, or a
 * selected line that is not valid UTF-8, is binary: grep then says `grep:
 * NAME: binary file matches` on stderr instead of printing lines (unless -a).
 * The loop paces itself by lines and regex steps so the call's deadline can
 * stop it.
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
}

function decodeLines(data: Uint8Array): Line[] {
  return splitByteLines(data).map((bytes) => {
    const body = bytes[bytes.length - 1] === 0x0a ? bytes.subarray(0, -1) : bytes
    const strict = decodeUtf8Strict(body)
    return { text: strict ?? decodeUtf8(body), valid: strict !== undefined }
  })
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

/** Searches `data`; returns how many lines were selected. */
export async function searchInput(output: SearchOutput, data: Uint8Array, name: string | undefined, messageName: string): Promise<number> {
  const { ctx, settings } = output
  const { paint, matcher } = settings
  const lines = decodeLines(data)
  const binary = !settings.binaryAsText && data.includes(0)
  const prefix = (index: number, separator: string) =>
    (name === undefined ? '' : `${paint.name(name)}${paint.separator(separator)}`) +
    (settings.lineNumbers ? `${paint.lineNumber(String(index + 1))}${paint.separator(separator)}` : '')
  let selected = 0
  let lastPrinted = -1
  let afterLeft = 0
  const printContext = (index: number) => {
    output.groupStart(index === lastPrinted + 1)
    ctx.stdout.write(`${prefix(index, '-')}${(lines[index] as Line).text}\n`)
    lastPrinted = index
  }
  for (let index = 0; index < lines.length; index++) {
    const work = matcher.counter.steps + index
    if (output.pacer.due(work)) await output.pacer.pause(work)
    const line = lines[index] as Line
    const isSelected = matcher.test(line.text) !== settings.invert
    if (!isSelected) {
      if (afterLeft > 0 && settings.mode === 'lines') {
        printContext(index)
        afterLeft--
      }
      continue
    }
    if (selected >= settings.maxCount) break
    selected++
    if (settings.mode === 'quiet' || settings.mode === 'files-with-matches' || settings.mode === 'files-without-match') break
    if (settings.mode === 'count') continue
    if (binary || (!line.valid && !settings.binaryAsText)) {
      ctx.stderr.write(`grep: ${messageName}: binary file matches\n`)
      break
    }
    for (let context = Math.max(lastPrinted + 1, index - settings.before); context < index; context++) printContext(context)
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
    if (selected >= settings.maxCount) {
      // GNU stops reading at the limit but still prints the trailing context.
      for (let context = index + 1; context < lines.length && afterLeft > 0; context++, afterLeft--) {
        if (matcher.test((lines[context] as Line).text) !== settings.invert) break
        printContext(context)
      }
      break
    }
  }
  return selected
}
