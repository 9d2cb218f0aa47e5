/**
 * Turns a command line into tokens: words (made of literal and `$` parts,
 * with quoting remembered), control operators and redirections. Quoting as
 * POSIX sh: '…' is literal; "…" expands $NAME, ${NAME}, $? and honours
 * \$ \` \" \\ and \<newline>; outside quotes a backslash quotes the next
 * character. Features this shell does not have — command substitution,
 * backticks, subshells, background jobs, here-documents — are ParseErrors
 * that say so, at their column.
 */
import type { Word, WordPart } from './ast'
import { ParseError } from './errors'

export type Operator = '|' | '||' | '&&' | ';' | '\n'
export type RedirectOperator = '<' | '>' | '>>' | '>|' | '>&' | '<&' | '&>' | '&>>'

export type Token =
  | { kind: 'word'; word: Word; offset: number }
  | { kind: 'operator'; op: Operator; offset: number }
  | { kind: 'redirect'; op: RedirectOperator; fd: number | undefined; offset: number }
  | { kind: 'end'; offset: number }

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/
const WORD_END = /[ \t\r\n|&;<>()]/

export class Lexer {
  private i = 0
  private readonly lineStarts: number[] = [0]

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1)
  }

  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number } {
    let line = this.lineStarts.length - 1
    while (line > 0 && (this.lineStarts[line] as number) > offset) line--
    return { line: line + 1, column: offset - (this.lineStarts[line] as number) + 1 }
  }

  fail(reason: string, offset: number): never {
    const { line, column } = this.position(offset)
    throw new ParseError(reason, line, column)
  }

  tokens(): Token[] {
    const tokens: Token[] = []
    for (;;) {
      const token = this.next()
      tokens.push(token)
      if (token.kind === 'end') return tokens
    }
  }

  private next(): Token {
    for (;;) {
      const char = this.text[this.i]
      if (char === ' ' || char === '\t' || char === '\r') this.i++
      else if (char === '\\' && this.text[this.i + 1] === '\n') this.i += 2
      else if (char === '#') while (this.i < this.text.length && this.text[this.i] !== '\n') this.i++
      else break
    }
    const start = this.i
    const char = this.text[start]
    if (char === undefined) return { kind: 'end', offset: start }
    const ioNumber = /^(\d+)[<>]/.exec(this.text.slice(start))
    if (ioNumber) {
      this.i += (ioNumber[1] as string).length
      return this.redirect(Number(ioNumber[1]), start)
    }
    if (char === '<' || char === '>' || (char === '&' && this.text[start + 1] === '>')) return this.redirect(undefined, start)
    const two = this.text.slice(start, start + 2)
    if (two === '&&' || two === '||') {
      this.i += 2
      return { kind: 'operator', op: two, offset: start }
    }
    if (two === ';;') this.fail("';;' belongs to case, which this shell does not support", start)
    if (two === '|&') this.fail("'|&' is not supported; write 2>&1 |", start)
    if (char === '|' || char === ';' || char === '\n') {
      this.i++
      return { kind: 'operator', op: char, offset: start }
    }
    if (char === '&') this.fail("background jobs ('&') are not supported; commands run to completion in order", start)
    if (char === '(' || char === ')') this.fail(`subshells and grouping with '${char}' are not supported`, start)
    return { kind: 'word', word: this.word(), offset: start }
  }

  private redirect(fd: number | undefined, start: number): Token {
    const rest = this.text.slice(this.i)
    if (rest.startsWith('<<')) this.fail('here-documents and here-strings (<<, <<<) are not supported; pass the text as stdin', this.i)
    if (rest.startsWith('<>')) this.fail("'<>' (open for reading and writing) is not supported", this.i)
    const op = (['&>>', '&>', '>>', '>&', '>|', '<&', '>', '<'] as const).find((candidate) => rest.startsWith(candidate)) as RedirectOperator
    if (fd !== undefined && op.startsWith('&')) this.fail(`'${fd}${op}' is not a redirection`, start)
    this.i += op.length
    return { kind: 'redirect', op, fd, offset: start }
  }

  private word(): Word {
    const parts: WordPart[] = []
    const column = this.position(this.i).column
    const literal = (text: string, quoted: boolean) => {
      const last = parts[parts.length - 1]
      if (last?.kind === 'literal' && last.quoted === quoted) last.text += text
      else parts.push({ kind: 'literal', text, quoted })
    }
    while (this.i < this.text.length) {
      const char = this.text[this.i] as string
      if (WORD_END.test(char)) break
      if (char === '\\') {
        const next = this.text[this.i + 1]
        this.i += 2
        if (next === undefined) literal('\\', false)
        else if (next !== '\n') literal(next, true)
      } else if (char === "'") {
        const close = this.text.indexOf("'", this.i + 1)
        if (close === -1) this.fail("unterminated single quote: add the closing '", this.i)
        literal(this.text.slice(this.i + 1, close), true)
        this.i = close + 1
      } else if (char === '"') {
        this.doubleQuoted(parts, literal)
      } else if (char === '$') {
        this.dollar(parts, literal, false)
      } else if (char === '`') {
        this.fail('command substitution with backticks is not supported', this.i)
      } else {
        literal(char, false)
        this.i++
      }
    }
    return { parts, column }
  }

  private doubleQuoted(parts: WordPart[], literal: (text: string, quoted: boolean) => void): void {
    const open = this.i
    const partsBefore = parts.length
    const lastBefore = parts[partsBefore - 1]
    const textBefore = lastBefore?.kind === 'literal' ? lastBefore.text : undefined
    this.i++
    for (;;) {
      const char = this.text[this.i]
      if (char === undefined) this.fail('unterminated double quote: add the closing "', open)
      if (char === '"') {
        this.i++
        // "" is an empty word, not nothing: remember it with an empty quoted part.
        const unchanged = parts.length === partsBefore && (lastBefore?.kind !== 'literal' || lastBefore.text === textBefore)
        if (unchanged) parts.push({ kind: 'literal', text: '', quoted: true })
        return
      }
      if (char === '\\') {
        const next = this.text[this.i + 1]
        if (next === '\n') this.i += 2
        else if (next !== undefined && '$`"\\'.includes(next)) {
          literal(next, true)
          this.i += 2
        } else {
          literal('\\', true)
          this.i++
        }
      } else if (char === '$') this.dollar(parts, literal, true)
      else if (char === '`') this.fail('command substitution with backticks is not supported', this.i)
      else {
        literal(char, true)
        this.i++
      }
    }
  }

  private dollar(parts: WordPart[], literal: (text: string, quoted: boolean) => void, quoted: boolean): void {
    const start = this.i
    const next = this.text[start + 1]
    if (next === '(') {
      const what = this.text[start + 2] === '(' ? 'arithmetic expansion $((…))' : 'command substitution $(…)'
      this.fail(`${what} is not supported`, start)
    }
    if (next === '{') {
      const close = this.text.indexOf('}', start + 2)
      if (close === -1) this.fail("unterminated '${': add the closing }", start)
      const inner = this.text.slice(start + 2, close)
      if (!/^([A-Za-z_][A-Za-z0-9_]*|\?)$/.test(inner)) {
        this.fail(`parameter expansion '\${${inner}}' is not supported; only \${NAME} and \${?}`, start)
      }
      parts.push({ kind: 'parameter', name: inner, quoted })
      this.i = close + 1
      return
    }
    if (next === '?') {
      parts.push({ kind: 'parameter', name: '?', quoted })
      this.i += 2
      return
    }
    const name = NAME.exec(this.text.slice(start + 1))
    if (name) {
      parts.push({ kind: 'parameter', name: name[0], quoted })
      this.i += 1 + name[0].length
      return
    }
    if (next !== undefined && /[0-9#@*$!-]/.test(next)) {
      this.fail(`the special parameter $${next} is not supported (there are no positional parameters or jobs)`, start)
    }
    literal('$', quoted)
    this.i++
  }
}
