/**
 * The text being parsed and a cursor over it, shared by the word reader and
 * the command parser (both read characters directly: bash's grammar decides
 * what a character means from where it stands, so there is no separate
 * token stream). Here-documents wait in `pending` until the parser consumes
 * the newline that ends their line, then `readHeredocs` takes their bodies.
 */
import type { CommandList, Redirect, Word } from './ast'
import { ParseError } from './errors'

export interface PendingHeredoc {
  delimiter: string
  quoted: boolean
  stripTabs: boolean
  redirect: Redirect & { kind: 'heredoc' }
}

export class Source {
  i = 0
  readonly pending: PendingHeredoc[] = []
  private readonly lineStarts: number[] = [0]
  /** Parses a nested command list up to `)` (set by the parser; words need it for `$(…)`). */
  subList: (source: Source) => CommandList = () => ({ kind: 'list', items: [] })
  /** Turns a here-document body into a word with expansions (set by the word reader). */
  heredocWord: (body: string, column: number) => Word = (body, column) => ({ parts: [{ kind: 'literal', text: body, quoted: true }], column })

  constructor(
    readonly text: string,
    /** Offset of this text inside the line (backtick bodies are parsed on their own). */
    private readonly base: { line: number; column: number } = { line: 1, column: 1 },
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1)
  }

  position(offset: number): { line: number; column: number } {
    let line = this.lineStarts.length - 1
    while (line > 0 && (this.lineStarts[line] as number) > offset) line--
    const column = offset - (this.lineStarts[line] as number) + 1
    return line === 0 ? { line: this.base.line, column: column + this.base.column - 1 } : { line: line + this.base.line, column }
  }

  column(offset = this.i): number {
    return this.position(offset).column
  }

  /** A syntax error bash would also report. */
  fail(reason: string, offset = this.i): never {
    const { line, column } = this.position(offset)
    throw new ParseError(reason, line, column)
  }

  /** Valid bash this parser does not take: the line runs whole on tier 4 instead. */
  unsupported(reason: string, offset = this.i): never {
    const { line, column } = this.position(offset)
    throw new ParseError(reason, line, column, true)
  }

  get char(): string | undefined {
    return this.text[this.i]
  }

  /** Whether the current character is `char` (a method, so checks after moving the cursor are not narrowed away). */
  is(char: string): boolean {
    return this.text[this.i] === char
  }

  at(offset: number): string | undefined {
    return this.text[this.i + offset]
  }

  startsWith(prefix: string): boolean {
    return this.text.startsWith(prefix, this.i)
  }

  get done(): boolean {
    return this.i >= this.text.length
  }

  /** Reads the bodies of the here-documents queued on the line that just ended. */
  readHeredocs(): void {
    while (this.pending.length > 0) {
      const doc = this.pending.shift() as PendingHeredoc
      const start = this.i
      const lines: string[] = []
      let found = false
      while (this.i < this.text.length) {
        const end = this.text.indexOf('\n', this.i)
        const raw = this.text.slice(this.i, end === -1 ? this.text.length : end)
        this.i = end === -1 ? this.text.length : end + 1
        const line = doc.stripTabs ? raw.replace(/^\t+/, '') : raw
        if (line === doc.delimiter) {
          found = true
          break
        }
        lines.push(line)
      }
      // bash warns and takes the rest of the input as the body; so do we (without the warning).
      const body = lines.length > 0 ? `${lines.join('\n')}\n` : ''
      if (!found && lines.length === 0 && start === this.text.length) doc.redirect.body = { parts: [], column: doc.redirect.column }
      else doc.redirect.body = doc.quoted ? { parts: [{ kind: 'literal', text: body, quoted: true }], column: 1 } : this.heredocWord(body, 1)
    }
  }
}
