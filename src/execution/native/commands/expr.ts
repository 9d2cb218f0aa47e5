/**
 * expr: GNU's grammar (`|`, `&`, comparisons, `+ -`, `* / %`, `:` and the
 * keywords match, substr, index, length and `+ TOKEN`) over arbitrary-size
 * integers (BigInt, as GNU's GMP build) and strings. `:` anchors a BRE at the
 * start, run on the tier-1 engine (linear time), and yields `\1` when the
 * pattern has a group, else the match length. Exit status: 0, 1 when the
 * result is empty or 0, 2 for an invalid expression.
 */
import { UsageError, type Command } from '../context'
import { quoteLocale } from '../quote'
import { compileRegex, RegexSyntaxError } from '../regex/index'

type Value = string | bigint

class ExprError extends Error {}

const INTEGER = /^[-+]?\d+$/

function toInteger(value: Value): bigint {
  if (typeof value === 'bigint') return value
  if (!INTEGER.test(value)) throw new ExprError('non-integer argument')
  return BigInt(value)
}

function isNull(value: Value): boolean {
  return typeof value === 'bigint' ? value === 0n : value === '' || (INTEGER.test(value) && BigInt(value) === 0n)
}

function compare(left: Value, right: Value): number {
  const l = String(left)
  const r = String(right)
  if (INTEGER.test(l) && INTEGER.test(r)) return BigInt(l) < BigInt(r) ? -1 : BigInt(l) > BigInt(r) ? 1 : 0
  return l < r ? -1 : l > r ? 1 : 0
}

function match(text: string, pattern: string): Value {
  let regex
  try {
    regex = compileRegex(pattern, { flavor: 'basic' })
  } catch (thrown) {
    if (thrown instanceof RegexSyntaxError) throw new ExprError(thrown.message)
    throw thrown
  }
  const found = regex.exec(text)
  const atStart = found && found.start === 0 ? found : undefined
  if (regex.groupCount > 0) {
    const group = atStart?.groups[1]
    return group ? text.slice(group[0], group[1]) : ''
  }
  return BigInt(atStart ? Array.from(text.slice(0, atStart.end)).length : 0)
}

class Parser {
  private at = 0
  constructor(private readonly tokens: readonly string[]) {}

  parse(): Value {
    const value = this.or()
    const extra = this.tokens[this.at]
    if (extra !== undefined) throw new ExprError(`syntax error: unexpected argument ${quoteLocale(extra)}`)
    return value
  }

  private take(...ops: string[]): string | undefined {
    const token = this.tokens[this.at]
    if (token !== undefined && ops.includes(token)) {
      this.at++
      return token
    }
    return undefined
  }

  private binary(next: () => Value, ops: string[], apply: (op: string, l: Value, r: Value) => Value): Value {
    let left = next()
    for (let op = this.take(...ops); op !== undefined; op = this.take(...ops)) left = apply(op, left, next())
    return left
  }

  private or(): Value {
    return this.binary(() => this.and(), ['|'], (_, l, r) => (isNull(l) ? (isNull(r) ? 0n : r) : l))
  }

  private and(): Value {
    return this.binary(() => this.comparison(), ['&'], (_, l, r) => (isNull(l) || isNull(r) ? 0n : l))
  }

  private comparison(): Value {
    const tests: Record<string, (c: number) => boolean> = { '<': (c) => c < 0, '<=': (c) => c <= 0, '=': (c) => c === 0, '==': (c) => c === 0, '!=': (c) => c !== 0, '>=': (c) => c >= 0, '>': (c) => c > 0 }
    return this.binary(() => this.additive(), Object.keys(tests), (op, l, r) => (tests[op]?.(compare(l, r)) ? 1n : 0n))
  }

  private additive(): Value {
    return this.binary(() => this.multiplicative(), ['+', '-'], (op, l, r) => (op === '+' ? toInteger(l) + toInteger(r) : toInteger(l) - toInteger(r)))
  }

  private multiplicative(): Value {
    return this.binary(() => this.colon(), ['*', '/', '%'], (op, l, r) => {
      const left = toInteger(l)
      const right = toInteger(r)
      if (op === '*') return left * right
      if (right === 0n) throw new ExprError('division by zero')
      return op === '/' ? left / right : left % right
    })
  }

  private colon(): Value {
    return this.binary(() => this.primary(), [':'], (_, l, r) => match(String(l), String(r)))
  }

  private operand(after: string): string {
    const token = this.tokens[this.at++]
    if (token === undefined) throw new ExprError(`syntax error: missing argument after ${quoteLocale(after)}`)
    return token
  }

  private primary(): Value {
    const token = this.tokens[this.at]
    if (token === undefined) {
      const previous = this.tokens[this.at - 1]
      throw new ExprError(previous === undefined ? 'syntax error' : `syntax error: missing argument after ${quoteLocale(previous)}`)
    }
    this.at++
    if (token === '(') {
      const value = this.or()
      if (this.tokens[this.at] !== ')') {
        const got = this.tokens[this.at]
        throw new ExprError(got === undefined ? `syntax error: expecting ')' after ${quoteLocale(this.tokens[this.at - 1] as string)}` : `syntax error: expecting ')' instead of ${quoteLocale(got)}`)
      }
      this.at++
      return value
    }
    if (token === '+') return this.operand(token)
    if (token === 'length') return BigInt(Array.from(String(this.primaryAfter(token))).length)
    if (token === 'match') return match(String(this.primaryAfter(token)), String(this.primaryAfter(token)))
    if (token === 'index') {
      const text = Array.from(String(this.primaryAfter(token)))
      const chars = new Set(Array.from(String(this.primaryAfter(token))))
      return BigInt(text.findIndex((char) => chars.has(char)) + 1)
    }
    if (token === 'substr') {
      const text = Array.from(String(this.primaryAfter(token)))
      const position = toInteger(this.primaryAfter(token))
      const length = toInteger(this.primaryAfter(token))
      if (position < 1n || length < 1n) return ''
      return text.slice(Number(position) - 1, Number(position - 1n + length)).join('')
    }
    return token
  }

  private primaryAfter(keyword: string): Value {
    if (this.tokens[this.at] === undefined) throw new ExprError(`syntax error: missing argument after ${quoteLocale(keyword)}`)
    return this.primary()
  }
}

export const expr: Command = async (ctx) => {
  const tokens = ctx.args[0] === '--' ? ctx.args.slice(1) : ctx.args
  if (tokens.length === 0) throw new UsageError('missing operand')
  let value: Value
  try {
    value = new Parser(tokens).parse()
  } catch (thrown) {
    if (!(thrown instanceof ExprError)) throw thrown
    ctx.stderr.write(`expr: ${thrown.message}\n`)
    return 2
  }
  ctx.stdout.write(`${String(value)}\n`)
  return isNull(value) ? 1 : 0
}
