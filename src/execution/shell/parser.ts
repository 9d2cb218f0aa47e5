/**
 * Recursive-descent parser over the lexer's tokens (grammar in ast.ts):
 *
 *   list     := and_or ((';' | NEWLINE) and_or)* [';' | NEWLINE]
 *   and_or   := pipeline (('&&' | '||') NEWLINE* pipeline)*
 *   pipeline := ['!'] command ('|' NEWLINE* command)*
 *   command  := (ASSIGNMENT | WORD | redirect)+
 *
 * Compound commands (if, for, while, case, { }, [[ ]]) are refused with a
 * ParseError that says so. `parseCommandLine` throws only ParseError.
 */
import type { AndOr, Assignment, CommandList, Pipeline, Redirect, SimpleCommand, Word } from './ast'
import { Lexer, type Token } from './lexer'

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'in', 'function', 'select', '{', '}', '[[', ']]'])
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/

/** The text of a word when it is one unquoted literal (keywords, `!`, fd numbers). */
function plainText(word: Word): string | undefined {
  const [only] = word.parts
  return word.parts.length === 1 && only?.kind === 'literal' && !only.quoted ? only.text : undefined
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the line'
  if (token.kind === 'operator') return token.op === '\n' ? 'a newline' : `'${token.op}'`
  if (token.kind === 'redirect') return `'${token.op}'`
  return 'a word'
}

class Parser {
  private i = 0

  constructor(
    private readonly lexer: Lexer,
    private readonly tokens: readonly Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.i] as Token
  }

  private isOperator(...ops: string[]): boolean {
    const token = this.peek()
    return token.kind === 'operator' && ops.includes(token.op)
  }

  private skipNewlines(): void {
    while (this.isOperator('\n')) this.i++
  }

  parse(): CommandList {
    const items: CommandList['items'] = []
    this.skipNewlines()
    while (this.peek().kind !== 'end') {
      items.push(this.andOr())
      if (this.isOperator(';', '\n')) {
        this.i++
        this.skipNewlines()
      } else if (this.peek().kind !== 'end') {
        this.lexer.fail(`unexpected ${describe(this.peek())}`, this.peek().offset)
      }
    }
    return { kind: 'list', items }
  }

  private andOr(): AndOr | Pipeline {
    let left: AndOr | Pipeline = this.pipeline()
    while (this.isOperator('&&', '||')) {
      const operator = this.peek() as Token & { kind: 'operator' }
      this.i++
      this.skipNewlines()
      this.expectCommandAfter(operator)
      left = { kind: operator.op === '&&' ? 'and' : 'or', left, right: this.pipeline() }
    }
    return left
  }

  private expectCommandAfter(operator: Token & { kind: 'operator' }): void {
    const next = this.peek()
    if (next.kind === 'word' || next.kind === 'redirect') return
    this.lexer.fail(`'${operator.op}' must be followed by a command, found ${describe(next)}`, operator.offset)
  }

  private pipeline(): Pipeline {
    let negated = false
    const first = this.peek()
    if (first.kind === 'word' && plainText(first.word) === '!') {
      negated = true
      this.i++
    }
    const commands = [this.command()]
    while (this.isOperator('|')) {
      const pipe = this.peek() as Token & { kind: 'operator' }
      this.i++
      this.skipNewlines()
      this.expectCommandAfter(pipe)
      commands.push(this.command())
    }
    return { kind: 'pipeline', negated, commands }
  }

  private command(): SimpleCommand {
    const start = this.peek()
    if (start.kind !== 'word' && start.kind !== 'redirect') {
      this.lexer.fail(`expected a command, found ${describe(start)}`, start.offset)
    }
    const command: SimpleCommand = { kind: 'command', assignments: [], words: [], redirects: [], column: this.lexer.position(start.offset).column }
    for (;;) {
      const token = this.peek()
      if (token.kind === 'redirect') {
        this.i++
        command.redirects.push(...this.redirect(token))
      } else if (token.kind === 'word') {
        this.i++
        const assignment = command.words.length === 0 ? this.assignment(token.word) : undefined
        if (assignment) command.assignments.push(assignment)
        else {
          const keyword = plainText(token.word)
          if (command.words.length === 0 && keyword !== undefined && RESERVED.has(keyword)) {
            this.lexer.fail(`'${keyword}': compound commands (if, for, while, case, { }) are not supported; run the script on tier 4, e.g. sh -c '…'`, token.offset)
          }
          command.words.push(token.word)
        }
      } else return command
    }
  }

  private assignment(word: Word): Assignment | undefined {
    const [first, ...rest] = word.parts
    if (first?.kind !== 'literal' || first.quoted) return undefined
    const match = ASSIGNMENT.exec(first.text)
    if (!match) return undefined
    const remainder = first.text.slice(match[0].length)
    const valueParts = remainder ? [{ ...first, text: remainder }, ...rest] : rest
    return { name: match[1] as string, value: { parts: valueParts, column: word.column + match[0].length } }
  }

  private redirect(token: Token & { kind: 'redirect' }): Redirect[] {
    const target = this.peek()
    const column = this.lexer.position(token.offset).column
    if (target.kind !== 'word') this.lexer.fail(`redirection '${token.op}' needs a target, found ${describe(target)}`, token.offset)
    this.i++
    const word = target.word
    const fd = token.fd ?? (token.op.startsWith('<') ? 0 : 1)
    if (token.op === '>&' || token.op === '<&') {
      const text = plainText(word)
      if (text === '-') this.lexer.fail(`closing a descriptor ('${token.op}-') is not supported`, token.offset)
      if (text !== undefined && /^\d+$/.test(text)) return [{ kind: 'duplicate', fd, from: Number(text), column }]
      if (token.op === '<&' || token.fd !== undefined) this.lexer.fail(`'${token.op}' needs a descriptor number`, token.offset)
    }
    if (token.op === '&>' || token.op === '&>>' || token.op === '>&') {
      // `&>file` (and `>&file`) send both stdout and stderr to the file.
      const mode = token.op === '&>>' ? 'append' : 'write'
      return [
        { kind: 'file', fd: 1, mode, target: word, column },
        { kind: 'duplicate', fd: 2, from: 1, column },
      ]
    }
    const mode = token.op === '<' ? 'read' : token.op === '>>' ? 'append' : 'write'
    return [{ kind: 'file', fd, mode, target: word, column }]
  }
}

/** Parses a command line into its syntax tree; throws ParseError (only) when it is malformed. */
export function parseCommandLine(line: string): CommandList {
  const lexer = new Lexer(line)
  return new Parser(lexer, lexer.tokens()).parse()
}
