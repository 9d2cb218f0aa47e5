/**
 * awk programs and statements (expressions are in parse-expr.ts). A program
 * is rules (`pattern { action }`, BEGIN, END, ranges) and function
 * definitions; statements end at `;`, a newline or a closing brace. Print
 * output to a pipe (`print | "cmd"`) is refused: tier 4 runs it.
 */
import { UnsupportedFeature } from '../../context'
import type { Expr, FunctionDef, Pattern, Program, Redirect, Rule, Stmt } from './ast'
import { AwkSyntaxError } from './errors'
import { Lexer } from './lexer'
import { ExprParser } from './parse-expr'

export interface ParsedProgram {
  program: Program
  warnings: Array<{ line: number; message: string }>
}

export function parseProgram(source: string): ParsedProgram {
  const lexer = new Lexer(source)
  const parser = new Parser(lexer.tokenize())
  return { program: parser.program(), warnings: lexer.warnings }
}

class Parser extends ExprParser {
  private inFunction = false
  private loopDepth = 0

  program(): Program {
    const rules: Rule[] = []
    const functions = new Map<string, FunctionDef>()
    this.skipTerminators()
    while (this.peek().kind !== 'eof') {
      if (this.is('function')) {
        const fn = this.functionDef()
        if (functions.has(fn.name)) throw new AwkSyntaxError(`function \`${fn.name}' previously defined`, this.peek().line)
        functions.set(fn.name, fn)
      } else rules.push(this.rule())
      this.skipTerminators()
    }
    return { rules, functions }
  }

  private skipTerminators(): void {
    while (this.peek().kind === 'newline' || this.is(';')) this.advance()
  }

  private functionDef(): FunctionDef {
    this.advance()
    const name = this.advance()
    if (name.kind !== 'funcName' && name.kind !== 'name') this.fail()
    this.expect('(')
    const params: string[] = []
    while (!this.is(')')) {
      const param = this.advance()
      if (param.kind !== 'name') this.fail()
      params.push(param.text)
      if (!this.accept(',')) break
      this.skipNewlines()
    }
    this.expect(')')
    this.skipNewlines()
    this.inFunction = true
    const body = this.block()
    this.inFunction = false
    return { name: name.text, params, body }
  }

  private rule(): Rule {
    let pattern: Pattern
    if (this.accept('BEGIN')) pattern = { kind: 'begin' }
    else if (this.accept('END')) pattern = { kind: 'end' }
    else if (this.is('{')) pattern = { kind: 'all' }
    else {
      const from = this.expression()
      if (this.accept(',')) {
        this.skipNewlines()
        pattern = { kind: 'range', from, to: this.expression() }
      } else pattern = { kind: 'expr', expr: from }
    }
    if ((pattern.kind === 'begin' || pattern.kind === 'end') && !this.is('{')) this.fail()
    if (!this.is('{')) return { pattern }
    return { pattern, action: this.block() }
  }

  private block(): Stmt[] {
    this.expect('{')
    const body: Stmt[] = []
    this.skipTerminators()
    while (!this.is('}')) {
      if (this.peek().kind === 'eof') this.fail()
      body.push(this.statement())
      this.skipTerminators()
    }
    this.advance()
    return body
  }

  /** Ends a simple statement: `;`, newline, or (without consuming it) `}` / end of program. */
  private endSimple(): void {
    if (this.is(';') || this.peek().kind === 'newline') {
      this.advance()
      return
    }
    if (this.is('}') || this.peek().kind === 'eof') return
    this.fail()
  }

  private statement(): Stmt {
    const line = this.peek().line
    const stmt = this.bareStatement()
    stmt.line = line
    return stmt
  }

  private bareStatement(): Stmt {
    if (this.is('{')) return { type: 'block', body: this.block() }
    if (this.accept(';')) return { type: 'block', body: [] }
    const keyword = this.peek().kind === 'keyword' ? this.peek().text : ''
    switch (keyword) {
      case 'if':
        return this.ifStatement()
      case 'while': {
        this.advance()
        const test = this.parenthesized()
        if (this.is(';')) {
          this.advance()
          return { type: 'while', test, body: { type: 'block', body: [] } }
        }
        this.skipNewlines()
        return { type: 'while', test, body: this.loopBody() }
      }
      case 'do': {
        this.advance()
        this.skipNewlines()
        const body = this.loopBody()
        this.skipTerminators()
        this.expect('while')
        const test = this.parenthesized()
        this.endSimple()
        return { type: 'do', body, test }
      }
      case 'for':
        return this.forStatement()
    }
    const simple = this.simpleStatement()
    this.endSimple()
    return simple
  }

  private loopBody(): Stmt {
    this.loopDepth++
    try {
      return this.statement()
    } finally {
      this.loopDepth--
    }
  }

  private parenthesized(): Expr {
    this.expect('(')
    const expr = this.expression()
    this.expect(')')
    return expr
  }

  private ifStatement(): Stmt {
    this.advance()
    const test = this.parenthesized()
    this.skipNewlines()
    const yes = this.statement()
    const save = this.pos
    this.skipTerminators()
    if (this.accept('else')) {
      this.skipNewlines()
      return { type: 'if', test, yes, no: this.statement() }
    }
    this.pos = save
    return { type: 'if', test, yes }
  }

  private forStatement(): Stmt {
    this.advance()
    this.expect('(')
    if (this.peek().kind === 'name' && this.is('in', 1)) {
      const close = this.peek(3)
      if (close.kind === 'punct' && close.text === ')') {
        const variable = { type: 'name' as const, name: this.advance().text }
        this.advance()
        const array = this.arrayName()
        this.expect(')')
        this.skipNewlines()
        return { type: 'forIn', variable, array, body: this.loopBody() }
      }
    }
    const init = this.is(';') ? undefined : this.expression()
    this.expect(';')
    this.skipNewlines()
    const test = this.is(';') ? undefined : this.expression()
    this.expect(';')
    this.skipNewlines()
    const step = this.is(')') ? undefined : this.expression()
    this.expect(')')
    if (this.is(';')) {
      this.advance()
      return { type: 'for', ...(init ? { init } : {}), ...(test ? { test } : {}), ...(step ? { step } : {}), body: { type: 'block', body: [] } }
    }
    this.skipNewlines()
    return { type: 'for', ...(init ? { init } : {}), ...(test ? { test } : {}), ...(step ? { step } : {}), body: this.loopBody() }
  }

  private atSimpleEnd(): boolean {
    return this.is(';') || this.is('}') || this.peek().kind === 'newline' || this.peek().kind === 'eof'
  }

  private simpleStatement(): Stmt {
    const token = this.peek()
    if (token.kind !== 'keyword') return { type: 'expr', expr: this.expression() }
    switch (token.text) {
      case 'print':
      case 'printf':
        return this.printStatement()
      case 'next':
      case 'nextfile':
        this.advance()
        if (this.inFunction && token.text === 'nextfile') throw new UnsupportedFeature('awk', '`nextfile` inside a function')
        return { type: 'next', file: token.text === 'nextfile' }
      case 'exit':
        this.advance()
        return this.atSimpleEnd() ? { type: 'exit' } : { type: 'exit', status: this.expression() }
      case 'return':
        this.advance()
        if (!this.inFunction) throw new AwkSyntaxError('return used outside function context', token.line)
        return this.atSimpleEnd() ? { type: 'return' } : { type: 'return', value: this.expression() }
      case 'break':
      case 'continue':
        this.advance()
        if (this.loopDepth === 0) throw new AwkSyntaxError(`\`${token.text}' is not allowed outside a loop`, token.line)
        return { type: token.text }
      case 'delete': {
        this.advance()
        const name = this.arrayName()
        return this.is('[') ? { type: 'delete', name, subscripts: this.subscripts() } : { type: 'delete', name }
      }
      default:
        return { type: 'expr', expr: this.expression() }
    }
  }

  private printStatement(): Stmt {
    const keyword = this.advance()
    let args: Expr[] = []
    if (!this.atSimpleEnd() && !this.is('>') && !this.is('>>') && !this.is('|')) {
      this.noGt = true
      args = [this.expression()]
      while (this.accept(',')) {
        this.skipNewlines()
        args.push(this.expression())
      }
      this.noGt = false
      const only = args[0]
      if (args.length === 1 && only?.type === 'group') args = only.items
    }
    let redirect: Redirect | undefined
    if (this.is('>') || this.is('>>')) {
      const mode = this.advance().text as '>' | '>>'
      this.noGt = true
      redirect = { mode, target: this.expression() }
      this.noGt = false
    } else if (this.is('|')) throw new UnsupportedFeature('awk', 'output to a command (`print | "cmd"`)')
    if (keyword.text === 'printf') {
      if (args.length === 0) this.fail()
      return { type: 'printf', args, line: keyword.line, ...(redirect ? { redirect } : {}) }
    }
    return { type: 'print', args, ...(redirect ? { redirect } : {}) }
  }
}
