/**
 * Shell arithmetic ($((…)), ((…)), let, array indices, for ((…))): 64-bit
 * signed integers with wrap-around as in bash, C precedence, assignment
 * operators, ++/--, ?:, the comma operator, bases (0x1f, 017, 2#101), and
 * variables whose values are themselves evaluated as expressions (depth
 * bounded). Division by zero is an error, as in bash.
 */
export class ArithmeticError extends Error {
  override readonly name = 'ArithmeticError'
}

export interface ArithScope {
  get(name: string, index?: bigint): string | undefined
  set(name: string, value: bigint, index?: bigint): void
}

const wrap = (value: bigint): bigint => BigInt.asIntN(64, value)
const MAX_NESTING = 64

type Token = { kind: 'num'; value: bigint } | { kind: 'name'; name: string } | { kind: 'op'; op: string }

const OPERATORS = ['<<=', '>>=', '**', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=', '+', '-', '*', '/', '%', '<', '>', '!', '~', '&', '^', '|', '?', ':', '=', '(', ')', '[', ']', ',']

function parseNumber(text: string): bigint {
  const based = /^(\d+)#([0-9A-Za-z@_]+)$/.exec(text)
  if (based) {
    const base = Number(based[1])
    if (base < 2 || base > 64) throw new ArithmeticError(`${text}: invalid arithmetic base`)
    let value = 0n
    for (const char of based[2] as string) {
      const digit = /\d/.test(char) ? Number(char) : /[a-z]/.test(char) ? char.charCodeAt(0) - 87 : /[A-Z]/.test(char) ? char.charCodeAt(0) - (base <= 36 ? 55 : 29) : char === '@' ? 62 : 63
      if (digit >= base) throw new ArithmeticError(`${text}: value too great for base`)
      value = wrap(value * BigInt(base) + BigInt(digit))
    }
    return value
  }
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return wrap(BigInt(text))
  if (/^0[0-7]+$/.test(text)) return wrap(BigInt(`0o${text.slice(1)}`))
  if (/^\d+$/.test(text)) return wrap(BigInt(text))
  throw new ArithmeticError(`${text}: value too great for base (error token is "${text}")`)
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const char = text[i] as string
    if (/\s/.test(char)) {
      i++
      continue
    }
    const number = /^[0-9][0-9A-Za-z#@_]*/.exec(text.slice(i))
    if (number) {
      tokens.push({ kind: 'num', value: parseNumber(number[0]) })
      i += number[0].length
      continue
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))
    if (name) {
      tokens.push({ kind: 'name', name: name[0] })
      i += name[0].length
      continue
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i))
    if (!op) throw new ArithmeticError(`syntax error: invalid arithmetic operator (error token is "${text.slice(i)}")`)
    tokens.push({ kind: 'op', op })
    i += op.length
  }
  return tokens
}

/** A place an assignment can write: a variable or an array element. */
interface Ref {
  name: string
  index?: bigint
}

const BINARY: ReadonlyArray<readonly string[]> = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']]

class Evaluator {
  private i = 0

  constructor(
    private readonly tokens: Token[],
    private readonly scope: ArithScope,
    private readonly depth: number,
    private readonly source: string,
    /** False while parsing the branch not taken (short-circuit): no side effects. */
    private live = true,
  ) {}

  run(): bigint {
    if (this.tokens.length === 0) return 0n
    const value = this.comma()
    if (this.i < this.tokens.length) this.error()
    return value
  }

  private error(): never {
    const rest = this.tokens.slice(this.i).map((t) => (t.kind === 'op' ? t.op : t.kind === 'name' ? t.name : String(t.value))).join(' ')
    throw new ArithmeticError(`${this.source}: syntax error in expression (error token is "${rest}")`)
  }

  private peekOp(): string | undefined {
    const token = this.tokens[this.i]
    return token?.kind === 'op' ? token.op : undefined
  }

  private expect(op: string): void {
    if (this.peekOp() !== op) this.error()
    this.i++
  }

  private comma(): bigint {
    let value = this.assignment()
    while (this.peekOp() === ',') {
      this.i++
      value = this.assignment()
    }
    return value
  }

  private assignment(): bigint {
    const start = this.i
    const ref = this.ref()
    const op = this.peekOp()
    if (ref && op && /^([-+*/%&^|]|<<|>>)?=$/.test(op)) {
      this.i++
      const right = this.assignment()
      const value = op === '=' ? right : this.binary(op.slice(0, -1), this.read(ref), right)
      if (this.live) this.scope.set(ref.name, value, ref.index)
      return value
    }
    this.i = start
    return this.conditional()
  }

  /** A name (with an optional [index]) at the cursor, consumed; undefined (cursor kept) otherwise. */
  private ref(): Ref | undefined {
    const token = this.tokens[this.i]
    if (token?.kind !== 'name') return undefined
    this.i++
    if (this.peekOp() !== '[') return { name: token.name }
    this.i++
    const index = this.comma()
    this.expect(']')
    return { name: token.name, index }
  }

  private read(ref: Ref): bigint {
    const text = this.scope.get(ref.name, ref.index)
    if (text === undefined || text.trim() === '') return 0n
    if (/^-?\d+$/.test(text.trim())) return wrap(BigInt(text.trim()))
    if (this.depth >= MAX_NESTING) throw new ArithmeticError(`${ref.name}: expression recursion level exceeded`)
    return evaluateArithmetic(text, this.scope, this.depth + 1)
  }

  private conditional(): bigint {
    const test = this.binaryLevel(0)
    if (this.peekOp() !== '?') return test
    this.i++
    const live = this.live
    this.live = live && test !== 0n
    const yes = this.assignment()
    this.expect(':')
    this.live = live && test === 0n
    const no = this.assignment()
    this.live = live
    return test !== 0n ? yes : no
  }

  private binaryLevel(level: number): bigint {
    if (level >= BINARY.length) return this.power()
    let left = this.binaryLevel(level + 1)
    for (;;) {
      const op = this.peekOp()
      if (!op || !(BINARY[level] as readonly string[]).includes(op)) return left
      this.i++
      if (op === '&&' || op === '||') {
        const live = this.live
        this.live = live && (op === '&&' ? left !== 0n : left === 0n)
        const right = this.binaryLevel(level + 1)
        this.live = live
        left = (op === '&&' ? left !== 0n && right !== 0n : left !== 0n || right !== 0n) ? 1n : 0n
      } else left = this.binary(op, left, this.binaryLevel(level + 1))
    }
  }

  private power(): bigint {
    const base = this.unary()
    if (this.peekOp() !== '**') return base
    this.i++
    const exponent = this.power()
    if (exponent < 0n) throw new ArithmeticError(`${this.source}: exponent less than 0`)
    return this.binary('**', base, exponent)
  }

  private binary(op: string, a: bigint, b: bigint): bigint {
    switch (op) {
      case '+': return wrap(a + b)
      case '-': return wrap(a - b)
      case '*': return wrap(a * b)
      case '/':
      case '%':
        if (b === 0n) {
          if (!this.live) return 0n
          throw new ArithmeticError(`${this.source}: division by 0 (error token is "${this.remaining()}")`)
        }
        return wrap(op === '/' ? a / b : a % b)
      case '**': {
        let result = 1n
        for (let e = b, x = a; e > 0n; e >>= 1n, x = wrap(x * x)) if (e & 1n) result = wrap(result * x)
        return result
      }
      case '<<': return wrap(a << (b & 63n))
      case '>>': return wrap(a >> (b & 63n))
      case '&': return a & b
      case '|': return a | b
      case '^': return a ^ b
      case '<': return a < b ? 1n : 0n
      case '<=': return a <= b ? 1n : 0n
      case '>': return a > b ? 1n : 0n
      case '>=': return a >= b ? 1n : 0n
      case '==': return a === b ? 1n : 0n
      case '!=': return a !== b ? 1n : 0n
      default: return this.error()
    }
  }

  private remaining(): string {
    return this.tokens.slice(this.i - 1).map((t) => (t.kind === 'op' ? t.op : t.kind === 'name' ? t.name : String(t.value))).join('')
  }

  private unary(): bigint {
    const op = this.peekOp()
    if (op === '++' || op === '--') {
      this.i++
      const ref = this.ref()
      if (!ref) this.error()
      const value = wrap(this.read(ref) + (op === '++' ? 1n : -1n))
      if (this.live) this.scope.set(ref.name, value, ref.index)
      return value
    }
    if (op === '-' || op === '+' || op === '!' || op === '~') {
      this.i++
      const value = this.unary()
      return op === '-' ? wrap(-value) : op === '+' ? value : op === '!' ? (value === 0n ? 1n : 0n) : ~value
    }
    return this.postfix()
  }

  private postfix(): bigint {
    const token = this.tokens[this.i]
    if (token?.kind === 'num') {
      this.i++
      return token.value
    }
    if (token?.kind === 'op' && token.op === '(') {
      this.i++
      const value = this.comma()
      this.expect(')')
      return value
    }
    const ref = this.ref()
    if (!ref) this.error()
    const value = this.read(ref)
    const op = this.peekOp()
    if (op === '++' || op === '--') {
      this.i++
      if (this.live) this.scope.set(ref.name, wrap(value + (op === '++' ? 1n : -1n)), ref.index)
    }
    return value
  }
}

export function evaluateArithmetic(text: string, scope: ArithScope, depth = 0): bigint {
  return new Evaluator(tokenize(text), scope, depth, text.trim()).run()
}
