/**
 * Cutting input into records (RS) and records into fields (FS), as gawk
 * does. RS "\n" or any single character separates records; RS "" is
 * paragraph mode (blank lines separate, leading newlines skipped, and a
 * newline also separates fields); a longer RS is a regex. FS " " splits on
 * runs of blanks and newlines ignoring them at both ends, "" splits into
 * characters, any other single character is literal, anything longer is a
 * regex. RS is read at each record, so a change takes effect at the next one.
 */
import type { Regex } from '../../regex/index'

export type RegexFor = (source: string) => Regex

export class RecordReader {
  private at = 0

  constructor(private readonly text: string) {}

  /** The next record and the text that ended it (gawk's RT), or undefined at the end. */
  next(rs: string, regexFor: RegexFor): { record: string; terminator: string } | undefined {
    const text = this.text
    if (rs === '') return this.paragraph()
    if (this.at >= text.length) return undefined
    let end: number
    let terminatorEnd: number
    if (rs.length === 1) {
      end = text.indexOf(rs, this.at)
      terminatorEnd = end + 1
    } else {
      const span = this.nonEmptyMatch(regexFor(rs), this.at)
      end = span ? span[0] : -1
      terminatorEnd = span ? span[1] : -1
    }
    const start = this.at
    if (end === -1) {
      this.at = text.length
      return { record: text.slice(start), terminator: '' }
    }
    this.at = terminatorEnd
    return { record: text.slice(start, end), terminator: text.slice(end, terminatorEnd) }
  }

  private nonEmptyMatch(regex: Regex, from: number): readonly [number, number] | undefined {
    for (let at = from; at <= this.text.length; ) {
      const span = regex.span(this.text, at)
      if (!span) return undefined
      if (span[1] > span[0]) return span
      at = span[0] + 1
    }
    return undefined
  }

  private paragraph(): { record: string; terminator: string } | undefined {
    const text = this.text
    while (this.at < text.length && text[this.at] === '\n') this.at++
    if (this.at >= text.length) return undefined
    const start = this.at
    const gap = text.indexOf('\n\n', start)
    if (gap === -1) {
      this.at = text.length
      const record = text.slice(start)
      return record.endsWith('\n') ? { record: record.slice(0, -1), terminator: '\n' } : { record, terminator: '' }
    }
    let after = gap
    while (after < text.length && text[after] === '\n') after++
    this.at = after
    return { record: text.slice(start, gap), terminator: text.slice(gap, after) }
  }
}

function splitBlanks(text: string): string[] {
  const fields: string[] = []
  let i = 0
  const blank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n'
  while (i < text.length) {
    while (i < text.length && blank(text[i])) i++
    if (i >= text.length) break
    const start = i
    while (i < text.length && !blank(text[i])) i++
    fields.push(text.slice(start, i))
  }
  return fields
}

function splitRegex(text: string, regex: Regex): string[] {
  const fields: string[] = []
  let start = 0
  let at = 0
  while (at <= text.length) {
    const span = regex.span(text, at)
    if (!span) break
    if (span[1] === span[0]) {
      // An empty match separates nothing; look one character further.
      at = span[0] + 1
      continue
    }
    fields.push(text.slice(start, span[0]))
    start = at = span[1]
  }
  fields.push(text.slice(start))
  return fields
}

/** Splits `text` by an FS value (split()'s separator follows the same rules). */
export function splitBy(text: string, fs: string, regexFor: RegexFor): string[] {
  if (text === '') return []
  if (fs === ' ') return splitBlanks(text)
  if (fs === '') return [...text]
  if (fs.length === 1 && fs !== '\\') return text.split(fs)
  return splitRegex(text, regexFor(fs))
}

/** Fields of a record: in paragraph mode a newline separates fields whatever FS is. */
export function splitRecord(text: string, fs: string, paragraphMode: boolean, regexFor: RegexFor): string[] {
  if (!paragraphMode || fs === ' ') return splitBy(text, fs, regexFor)
  return text.split('\n').flatMap((line) => splitBy(line, fs, regexFor))
}
