/**
 * awk expressions by precedence climbing, lowest first: assignment, ?:, ||,
 * &&, in, ~ !~, comparison (and `|` getline), concatenation, + -, * / %,
 * unary ! - +, ^ (right-associative), ++ --, $, grouping. Inside an unparenthesized
 * print list `>` is a redirection, not a comparison (`noGt`). Forms tier 1
 * does not run (`cmd | getline`) are refused while parsing.
 */
import { UnsupportedFeature } from '../../context'
import type { Expr, LValue } from './ast'
import { AwkSyntaxError } from './errors'
import type { Token } from './lexer'

const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '^=', '**='])
const COMPARE_OPS = new Set(['<', '<=', '==', '!=', '>', '>='])

export class ExprParser {
  protected pos = 0
  /** Depth of unparenthesized print-list parsing: `>` there redirects. */
  protected noGt = false
  /** Inside `for (`: a bare `in` belongs to the for-in form. */
  protected noIn = false

  constructor(protected readonly tokens: Token[]) {}

  protected peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token
  }

  protected advance(): Token {
    const token = this.peek()
    if (token.kind !== 'eof') this.pos++
    return token
  }

  protected is(text: string, offset = 0): boolean {
    const token = this.peek(offset)
    return (token.kind === 'punct' || token.kind === 'keyword') && token.text === text
  }

  protected accept(text: string): boolean {
    if (!this.is(text)) return false
    this.pos++
    return true
  }

  protected expect(text: string): Token {
    if (!this.is(text)) this.fail()
    return this.advance()
  }

  protected fail(): never {
    throw new AwkSyntaxError('syntax error', this.peek().line)
  }

  protected skipNewlines(): void {
    while (this.peek().kind === 'newline') this.pos++
  }

  expression(): Expr {
    return this.ternary()
  }

  private ternary(): Expr {
    const test = this.or()
    if (this.is('?')) {
      this.advance()
      this.skipNewlines()
      const yes = this.ternary()
      this.skipNewlines()
      this.expect(':')
      this.skipNewlines()
      return { type: 'cond', test, yes, no: this.ternary() }
    }
    if (ASSIGN_OPS.has(this.peek().text) && this.peek().kind === 'punct' && isLValue(test)) {
      const op = this.advance().text
      this.skipNewlines()
      return { type: 'assign', op: op === '**=' ? '^=' : op, target: test, value: this.ternary() }
    }
    return test
  }

  private or(): Expr {
    let left = this.and()
    while (this.is('||')) {
      this.advance()
      this.skipNewlines()
      left = { type: 'logical', op: '||', left, right: this.and() }
    }
    return left
  }

  private and(): Expr {
    let left = this.inExpr()
    while (this.is('&&')) {
      this.advance()
      this.skipNewlines()
      left = { type: 'logical', op: '&&', left, right: this.inExpr() }
    }
    return left
  }

  private inExpr(): Expr {
    let left = this.matchExpr()
    while (this.is('in') && !this.noIn) {
      this.advance()
      const array = this.arrayName()
      left = { type: 'in', subscripts: left.type === 'group' ? left.items : [left], array }
    }
    return left
  }

  protected arrayName(): string {
    const token = this.advance()
    if (token.kind !== 'name') this.fail()
    return token.text
  }

  private matchExpr(): Expr {
    let left = this.comparison()
    while (this.is('~') || this.is('!~')) {
      const negate = this.advance().text === '!~'
      left = { type: 'match', negate, left, right: this.comparison() }
    }
    return left
  }

  private comparison(): Expr {
    let left = this.concatenation()
    for (;;) {
      const token = this.peek()
      if (token.kind === 'punct' && token.text === '|' && this.is('getline', 1)) {
        throw new UnsupportedFeature('awk', '`command | getline`')
      }
      if (token.kind !== 'punct' || !COMPARE_OPS.has(token.text) || (this.noGt && token.text === '>')) return left
      this.advance()
      // Comparison does not chain in awk's grammar: `a < b < c` is a syntax error there too.
      left = { type: 'compare', op: token.text as '<', left, right: this.concatenation() }
      if (left.type === 'compare' && COMPARE_OPS.has(this.peek().text) && this.peek().kind === 'punct' && !(this.noGt && this.is('>'))) this.fail()
    }
  }

  /** Whether the next token can begin the right operand of a concatenation. */
  private startsConcatOperand(): boolean {
    const token = this.peek()
    switch (token.kind) {
      case 'number':
      case 'string':
      case 'regex':
      case 'name':
      case 'funcName':
      case 'builtin':
        return true
      case 'keyword':
        return token.text === 'getline'
      case 'punct':
        return ['$', '!', '(', '++', '--'].includes(token.text)
      default:
        return false
    }
  }

  private concatenation(): Expr {
    let left = this.additive()
    while (this.startsConcatOperand()) {
      left = { type: 'concat', left, right: this.additive() }
    }
    return left
  }

  private additive(): Expr {
    let left = this.multiplicative()
    while (this.is('+') || this.is('-')) {
      const op = this.advance().text as '+' | '-'
      left = { type: 'binary', op, left, right: this.multiplicative() }
    }
    return left
  }

  private multiplicative(): Expr {
    let left = this.unary()
    while (this.is('*') || this.is('/') || this.is('%')) {
      const token = this.advance()
      const op = token.text as '*' | '/' | '%'
      const right = this.unary()
      // gawk folds constant operands while parsing: a constant zero divisor is its parse-time error.
      if (op !== '*' && left.type === 'number' && right.type === 'number' && right.value === 0) throw new AwkSyntaxError('division by zero attempted', token.line)
      left = { type: 'binary', op, left, right }
    }
    return left
  }

  private unary(): Expr {
    if (this.is('!') || this.is('-') || this.is('+')) {
      const op = this.advance().text as '!' | '-' | '+'
      return { type: 'unary', op, operand: this.unary() }
    }
    return this.power()
  }

  private power(): Expr {
    const base = this.postfix()
    if (this.is('^') || this.is('**')) {
      this.advance()
      // Right-associative, and binds tighter than unary minus on its left: -2^2 is -4, 2^-1 is 0.5.
      const exponent = this.is('-') || this.is('+') || this.is('!') ? this.unary() : this.power()
      return { type: 'binary', op: '^', left: base, right: exponent }
    }
    return base
  }

  private postfix(): Expr {
    if (this.is('++') || this.is('--')) {
      const op = this.advance().text as '++' | '--'
      const target = this.postfix()
      if (!isLValue(target)) this.fail()
      return { type: 'incdec', op, prefix: true, target }
    }
    const operand = this.primary()
    if (isLValue(operand) && (this.is('++') || this.is('--'))) {
      const op = this.advance().text as '++' | '--'
      return { type: 'incdec', op, prefix: false, target: operand }
    }
    return operand
  }

  protected primary(): Expr {
    const token = this.advance()
    switch (token.kind) {
      case 'number':
        return { type: 'number', value: token.value as number }
      case 'string':
        return { type: 'string', value: token.value as string }
      case 'regex':
        return { type: 'regex', source: token.value as string }
      case 'name':
        if (this.is('[')) return { type: 'index', name: token.text, subscripts: this.subscripts() }
        return { type: 'name', name: token.text }
      case 'funcName':
        return { type: 'call', name: token.text, args: this.callArgs(), line: token.line }
      case 'builtin':
        return this.builtin(token)
      case 'keyword':
        if (token.text === 'getline') return this.simpleGetline()
        break
      case 'punct':
        if (token.text === '$') return { type: 'field', index: this.fieldIndex() }
        if (token.text === '(') return this.grouping()
        break
    }
    this.pos--
    this.fail()
  }

  /** `$` binds tighter than everything but grouping and ++/--: `$i++` is `($i)++`, `$++i` increments i. */
  private fieldIndex(): Expr {
    if (this.is('++') || this.is('--')) return this.postfix()
    if (this.is('-') || this.is('+') || this.is('!')) {
      const op = this.advance().text as '!' | '-' | '+'
      return { type: 'unary', op, operand: this.fieldIndex() }
    }
    return this.primary()
  }

  private grouping(): Expr {
    const savedGt = this.noGt
    const savedIn = this.noIn
    this.noGt = false
    this.noIn = false
    const items = [this.expression()]
    while (this.accept(',')) {
      this.skipNewlines()
      items.push(this.expression())
    }
    this.expect(')')
    this.noGt = savedGt
    this.noIn = savedIn
    // `(a, b)` is only valid before `in` or as a print list; evaluating it elsewhere is refused.
    return { type: 'group', items }
  }

  protected subscripts(): Expr[] {
    this.expect('[')
    const savedGt = this.noGt
    const savedIn = this.noIn
    this.noGt = false
    this.noIn = false
    const list = [this.expression()]
    while (this.accept(',')) {
      this.skipNewlines()
      list.push(this.expression())
    }
    this.expect(']')
    this.noGt = savedGt
    this.noIn = savedIn
    return list
  }

  private callArgs(): Expr[] {
    this.expect('(')
    const savedGt = this.noGt
    const savedIn = this.noIn
    this.noGt = false
    this.noIn = false
    const args: Expr[] = []
    this.skipNewlines()
    if (!this.is(')')) {
      args.push(this.expression())
      while (this.accept(',')) {
        this.skipNewlines()
        args.push(this.expression())
      }
    }
    this.skipNewlines()
    this.expect(')')
    this.noGt = savedGt
    this.noIn = savedIn
    return args
  }

  private builtin(token: Token): Expr {
    // `length` without parentheses is length($0).
    if (token.text === 'length' && !this.is('(')) return { type: 'builtin', name: 'length', args: [], line: token.line }
    if (!this.is('(')) this.fail()
    return { type: 'builtin', name: token.text, args: this.callArgs(), line: token.line }
  }

  /** `getline`, `getline var`, `getline < file`, `getline var < file`. */
  private simpleGetline(): Expr {
    let target: LValue | undefined
    if (this.peek().kind === 'name' || this.is('$')) target = this.postfixTarget()
    if (this.is('<')) {
      this.advance()
      // The file is a primary (with $ and ++/--): `getline < "a" "b"` reads "a" and concatenates.
      const file = this.postfix()
      return target ? { type: 'getline', target, file } : { type: 'getline', file }
    }
    return target ? { type: 'getline', target } : { type: 'getline' }
  }

  private postfixTarget(): LValue {
    const token = this.advance()
    if (token.kind === 'name') {
      if (this.is('[')) return { type: 'index', name: token.text, subscripts: this.subscripts() }
      return { type: 'name', name: token.text }
    }
    return { type: 'field', index: this.fieldIndex() }
  }
}

export function isLValue(expr: Expr): expr is LValue {
  return expr.type === 'name' || expr.type === 'index' || expr.type === 'field'
}
