/**
 * Recursive-descent parser for bash command lines (node shapes in ast.ts):
 *
 *   list     := (and_or (';' | '&' | NEWLINE))* [and_or]
 *   and_or   := pipeline (('&&' | '||') NEWLINE* pipeline)*
 *   pipeline := ['!'] command (('|' | '|&') NEWLINE* command)*
 *   command  := compound redirect* | NAME '(' ')' compound | simple
 *   simple   := (ASSIGNMENT | WORD | redirect)+
 *
 * Compound commands are in parse-compound.ts, words in words.ts. Errors are
 * ParseErrors: `unsupported` for valid bash this parser does not take (the
 * line then runs whole on tier 4), plain for what `bash -n` rejects too.
 */
import type { AndOr, Assignment, Command, CommandList, ListItem, Pipeline, Redirect, SimpleCommand, Word } from './ast'
import { RecentValues } from '../../core/recent-values'
import { parseCompound, type ParserApi } from './parse-compound'
import { Source } from './source'
import { heredocWord, readWord } from './words'

const KEYWORD = /^(if|then|else|elif|fi|do|done|case|esac|while|until|for|in|function|select|coproc|time|\{|\}|\[\[|\]\]|!)(?=[ \t\n;&|<>()]|$)/
const REDIRECT = /^(\d*)(<<<|<<-|<<|<>|<&|>&|>>|>\||&>>|&>|<|>)/
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?)=/
/** Reserved words that can only close a construct: in command position anywhere else they are errors. */
const CLOSERS = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}'])
const LIST_END_OPS = [')', ';;&', ';;', ';&']

/** The text of a word when it is one unquoted literal (keywords, names, fd numbers). */
export function plainText(word: Word): string | undefined {
  const [only] = word.parts
  return word.parts.length === 1 && only?.kind === 'literal' && !only.quoted ? only.text : undefined
}

class Parser implements ParserApi {
  constructor(readonly src: Source) {}

  blank(): void {
    const src = this.src
    for (;;) {
      const char = src.char
      if (char === ' ' || char === '\t' || char === '\r') src.i++
      else if (char === '\\' && src.at(1) === '\n') src.i += 2
      else if (char === '#') while (!src.done && !src.is('\n')) src.i++
      else return
    }
  }

  newlines(): void {
    for (;;) {
      this.blank()
      if (!this.src.is('\n')) return
      this.src.i++
      this.src.readHeredocs()
    }
  }

  op(): string | undefined {
    const src = this.src
    for (const candidate of [';;&', ';;', ';&', '&&', '||', '|&', '|', ';', '(', ')', '\n']) if (src.startsWith(candidate)) return candidate
    if (src.is('&') && src.at(1) !== '>') return '&'
    return undefined
  }

  keyword(): string | undefined {
    return KEYWORD.exec(this.src.text.slice(this.src.i, this.src.i + 10))?.[1]
  }

  expectKeyword(word: string, context: string): void {
    this.newlines()
    if (this.keyword() !== word) this.unexpected(`expected '${word}' ${context}`)
    this.src.i += word.length
  }

  unexpected(hint?: string): never {
    const src = this.src
    const token = src.done ? 'end of file' : src.is('\n') ? 'newline' : (this.op() ?? this.keyword() ?? src.text.slice(src.i).split(/[ \t\n;&|<>()]/)[0] ?? src.char)
    return src.fail(src.done ? `unexpected end of file${hint ? ` (${hint})` : ''}` : `syntax error near unexpected token \`${token}'${hint ? ` (${hint})` : ''}`)
  }

  list(terminators: readonly string[] = []): CommandList {
    const items: ListItem[] = []
    for (;;) {
      this.newlines()
      const keyword = this.keyword()
      if (this.src.done || (keyword && terminators.includes(keyword)) || LIST_END_OPS.includes(this.op() ?? '')) break
      const node = this.andOr()
      this.blank()
      const op = this.op()
      if (op === '&' || op === ';') {
        this.src.i++
        items.push({ node, background: op === '&' })
        continue
      }
      items.push({ node, background: false })
      if (op !== '\n' && !this.src.done && !LIST_END_OPS.includes(op ?? '')) this.unexpected()
    }
    return { kind: 'list', items }
  }

  /** A list that must hold at least one command (bodies of compound commands). */
  body(terminators: readonly string[], context: string): CommandList {
    const list = this.list(terminators)
    if (list.items.length === 0) this.unexpected(context)
    return list
  }

  private andOr(): AndOr | Pipeline {
    let left: AndOr | Pipeline = this.pipeline()
    for (;;) {
      this.blank()
      const op = this.op()
      if (op !== '&&' && op !== '||') return left
      this.src.i += 2
      this.newlines()
      left = { kind: op === '&&' ? 'and' : 'or', left, right: this.pipeline() }
    }
  }

  private pipeline(): Pipeline {
    this.blank()
    let negated = false
    const timed = this.timeKeyword()
    while (this.keyword() === '!') {
      negated = !negated
      this.src.i++
      this.blank()
    }
    const commands = [this.command()]
    const stderrPiped: boolean[] = []
    for (;;) {
      this.blank()
      const op = this.op()
      if (op !== '|' && op !== '|&') return { kind: 'pipeline', negated, commands, stderrPiped, ...(timed ? { timed } : {}) }
      this.src.i += op.length
      stderrPiped.push(op === '|&')
      this.newlines()
      commands.push(this.command())
    }
  }

  /** `time [-p]` before a pipeline; `time` with nothing to time is left to tier 4. */
  private timeKeyword(): 'bash' | 'posix' | undefined {
    if (this.keyword() !== 'time') return undefined
    const start = this.src.i
    this.src.i += 4
    this.blank()
    let timed: 'bash' | 'posix' = 'bash'
    if (/^-p(?=[ \t\n;&|<>()]|$)/.test(this.src.text.slice(this.src.i, this.src.i + 3))) {
      timed = 'posix'
      this.src.i += 2
      this.blank()
    }
    if (this.src.done || (this.op() !== undefined && this.op() !== '(')) this.src.unsupported("'time' without a command", start)
    return timed
  }

  command(): Command {
    this.blank()
    const compound = parseCompound(this)
    if (compound) {
      if (compound.kind === 'function') return compound
      compound.redirects = this.trailingRedirects()
      return compound
    }
    return this.simple()
  }

  trailingRedirects(): Redirect[] {
    const redirects: Redirect[] = []
    for (;;) {
      this.blank()
      if (!REDIRECT.test(this.src.text.slice(this.src.i, this.src.i + 12)) || this.procSubstAhead()) return redirects
      redirects.push(...this.redirect())
    }
  }

  private procSubstAhead(): boolean {
    return (this.src.is('<') || this.src.is('>')) && this.src.at(1) === '('
  }

  private simple(): Command {
    const src = this.src
    const start = src.i
    const command: SimpleCommand = { kind: 'command', assignments: [], words: [], redirects: [], column: src.column() }
    for (;;) {
      this.blank()
      if (this.procSubstAhead()) {
        src.i++
        src.i++
        this.list()
        if (!src.is(')')) this.unexpected()
        src.i++
        command.words.push({ parts: [{ kind: 'procsubst', quoted: false }], column: src.column() })
        continue
      }
      if (REDIRECT.test(src.text.slice(src.i, src.i + 12))) {
        command.redirects.push(...this.redirect())
        continue
      }
      if (src.done || this.op() !== undefined) break
      if (command.words.length === 0 && CLOSERS.has(this.keyword() ?? '')) this.unexpected()
      const word = readWord(src)
      if (!word) break
      const assignment = command.words.length === 0 ? toAssignment(word) : undefined
      if (assignment) command.assignments.push(assignment)
      else command.words.push(word)
    }
    const name = command.words.length === 1 && command.assignments.length === 0 ? plainText(command.words[0] as Word) : undefined
    this.blank()
    if (name !== undefined && src.is('(') && /^[^\s$`'"|&;<>()]+$/.test(name)) return this.functionBody(name)
    if (src.i === start || (command.words.length === 0 && command.assignments.length === 0 && command.redirects.length === 0)) this.unexpected()
    return command
  }

  /** `name ( ) compound` */
  functionBody(name: string): Command {
    const src = this.src
    if (src.is('(')) {
      src.i++
      this.blank()
      if (!src.is(')')) this.unexpected()
      src.i++
    }
    this.newlines()
    const body = parseCompound(this)
    if (!body || body.kind === 'function') this.unexpected('a function body must be a compound command such as { …; }')
    body.redirects = this.trailingRedirects()
    return { kind: 'function', name, body }
  }

  private redirect(): Redirect[] {
    const src = this.src
    const start = src.i
    const match = REDIRECT.exec(src.text.slice(src.i, src.i + 12)) as RegExpExecArray
    const [whole, digits = '', op = ''] = match
    src.i += whole.length
    const column = src.column(start)
    const fd = digits === '' ? (op.startsWith('<') ? 0 : 1) : Number(digits)
    if (fd > 9) src.unsupported(`file descriptor ${fd}`)
    this.blank()
    if (this.procSubstAhead()) src.unsupported('process substitution <(…) as a redirection target')
    const word = readWord(src)
    if (!word) this.unexpected()
    if (op === '<<' || op === '<<-') {
      const delimiter = word.parts.map((part) => (part.kind === 'literal' ? part.text : '')).join('')
      const redirect: Redirect & { kind: 'heredoc' } = { kind: 'heredoc', fd, body: { parts: [], column }, column }
      src.pending.push({ delimiter, quoted: word.parts.some((part) => part.quoted), stripTabs: op === '<<-', redirect })
      return [redirect]
    }
    if (op === '<<<') return [{ kind: 'heredoc', fd, body: { parts: [...word.parts, { kind: 'literal', text: '\n', quoted: true }], column: word.column }, column }]
    const text = plainText(word)
    if (op === '>&' || op === '<&') {
      if (text === '-') return [{ kind: 'close', fd, column }]
      if (text !== undefined && /^\d+$/.test(text)) return [{ kind: 'duplicate', fd, from: Number(text), column }]
      if (op === '<&' || digits !== '') src.fail(`${text ?? 'word'}: ambiguous redirect`, start)
    }
    if (op === '&>' || op === '&>>' || op === '>&') {
      const mode = op === '&>>' ? 'append' : 'write'
      return [
        { kind: 'file', fd: 1, mode, target: word, column },
        { kind: 'duplicate', fd: 2, from: 1, column },
      ]
    }
    const mode = op === '<' || op === '<>' ? 'read' : op === '>>' ? 'append' : 'write'
    return [{ kind: 'file', fd, mode, target: word, column }]
  }
}

export function toAssignment(word: Word): Assignment | undefined {
  const [first, ...rest] = word.parts
  if (first?.kind !== 'literal' || first.quoted) return undefined
  const match = ASSIGNMENT.exec(first.text)
  if (!match) return undefined
  const remainder = first.text.slice(match[0].length)
  const valueParts = remainder ? [{ ...first, text: remainder }, ...rest] : rest
  const assignment: Assignment = { name: match[1] as string, append: match[3] === '+', value: { parts: valueParts, column: word.column + match[0].length } }
  if (match[2]) assignment.index = { parts: [{ kind: 'literal', text: match[2].slice(1, -1), quoted: true }], column: word.column }
  if (word.array) assignment.array = word.array
  return assignment
}

/** Lines parsed lately, by text: a governed exec parses its line three times (route plan, policy actions, the run). */
const recentlyParsed = new RecentValues<CommandList>(64)
/** Longer lines are parsed afresh each time, so the memo stays small (at most 64 × 4 KB of text). */
const MAX_REMEMBERED_LINE = 4096

/**
 * Parses a command line into its syntax tree; throws ParseError (only) when it is malformed. The tree is
 * shared between callers and frozen (deeply): a caller that tried to change it would throw, not corrupt
 * the next caller's tree.
 */
export function parseCommandLine(line: string): CommandList {
  if (line.length > MAX_REMEMBERED_LINE) return deepFreeze(parseFresh(line))
  return recentlyParsed.remember(line, () => deepFreeze(parseFresh(line)))
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  for (const inner of Object.values(value)) deepFreeze(inner)
  return Object.freeze(value)
}

function parseFresh(line: string): CommandList {
  const src = new Source(line)
  wire(src)
  const parser = new Parser(src)
  const list = parser.list()
  if (!src.done) parser.unexpected()
  if (src.pending.length > 0) src.readHeredocs()
  return list
}

function wire(src: Source): void {
  src.subList = (inner) => {
    wire(inner)
    return new Parser(inner).list()
  }
  src.heredocWord = (body, column) => heredocWord(body, column, src)
}
