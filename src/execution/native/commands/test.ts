/**
 * test and [: POSIX's rules by argument count (0–4 arguments), then GNU's
 * expression grammar (`!`, `-a`, `-o`, parentheses) for longer ones. File
 * tests read fsx: -e -f -d -s, -r -w (exists), -x (directories), -L -h -p
 * -S -b -c -t (never true here), -nt -ot -ef. Errors exit 2.
 */
import type { FileStat } from '../../../../types/execution'
import { UsageError, type Command, type CommandContext } from '../context'
import { resolve } from '../io'
import { quoteLocale } from '../quote'

const UNARY = new Set(['-e', '-f', '-d', '-s', '-r', '-w', '-x', '-L', '-h', '-p', '-S', '-b', '-c', '-t', '-z', '-n', '-g', '-u', '-k', '-O', '-G', '-N'])
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef'])

class TestError extends UsageError {
  constructor(message: string) {
    super(message, false)
  }
}

function integer(text: string): bigint {
  const match = /^[ \t\n\v\f\r]*([+-]?\d+)[ \t\n\v\f\r]*$/.exec(text)
  if (!match) throw new TestError(`invalid integer ${quoteLocale(text)}`)
  return BigInt(match[1] as string)
}

class Evaluator {
  private i = 0

  constructor(
    private readonly ctx: CommandContext,
    private readonly args: readonly string[],
  ) {}

  private async stat(path: string): Promise<FileStat | undefined> {
    try {
      return await this.ctx.fs.stat(resolve(this.ctx, path))
    } catch {
      return undefined
    }
  }

  private async unary(op: string, operand: string): Promise<boolean> {
    if (op === '-z') return operand === ''
    if (op === '-n') return operand !== ''
    const stat = operand === '' ? undefined : await this.stat(operand)
    switch (op) {
      case '-e':
      case '-r':
      case '-w':
        return stat !== undefined
      case '-f':
        return stat?.type === 'file'
      case '-d':
        return stat?.type === 'directory'
      case '-s':
        // A directory has a size on disk (GNU sees 4096 and answers true); fsx reports 0 for it.
        return stat?.type === 'directory' || (stat?.size ?? 0) > 0
      case '-x':
        return stat !== undefined && (stat.type === 'directory' || (stat.mode & 0o111) !== 0)
      default:
        return false
    }
  }

  private async binary(left: string, op: string, right: string): Promise<boolean> {
    switch (op) {
      case '=':
      case '==':
        return left === right
      case '!=':
        return left !== right
      case '<':
        return left < right
      case '>':
        return left > right
      case '-nt':
      case '-ot': {
        const [a, b] = await Promise.all([this.stat(left), this.stat(right)])
        if (op === '-nt') return a !== undefined && (b === undefined || a.mtime > b.mtime)
        return b !== undefined && (a === undefined || a.mtime < b.mtime)
      }
      case '-ef': {
        const [a, b] = await Promise.all([this.stat(left), this.stat(right)])
        return a !== undefined && b !== undefined && a.path === b.path
      }
    }
    const [x, y] = [integer(left), integer(right)]
    return { '-eq': x === y, '-ne': x !== y, '-lt': x < y, '-le': x <= y, '-gt': x > y, '-ge': x >= y }[op] as boolean
  }

  private peek(offset = 0): string | undefined {
    return this.args[this.i + offset]
  }

  private take(): string {
    const arg = this.args[this.i++]
    if (arg === undefined) throw new TestError(`missing argument after ${quoteLocale(this.args[this.i - 2] ?? '')}`)
    return arg
  }

  /** POSIX: with at most four arguments the count decides the meaning. */
  async evaluate(): Promise<boolean> {
    const n = this.args.length
    const [a, b, c, d] = this.args as Array<string | undefined>
    if (n === 0) return false
    if (n === 1) return a !== ''
    if (n === 2) {
      if (a === '!') return b === ''
      if (UNARY.has(a as string)) return this.unary(a as string, b as string)
      throw new TestError(`${quoteLocale(a as string)}: unary operator expected`)
    }
    if (n === 3) {
      if (BINARY.has(b as string)) return this.binary(a as string, b as string, c as string)
      if (a === '!') return !(await new Evaluator(this.ctx, [b as string, c as string]).evaluate())
      if (a === '(' && c === ')') return b !== ''
      if (b === '-a' || b === '-o') return this.expression()
      throw new TestError(`${quoteLocale(b as string)}: binary operator expected`)
    }
    if (n === 4) {
      if (a === '!') return !(await new Evaluator(this.ctx, this.args.slice(1)).evaluate())
      if (a === '(' && d === ')') return new Evaluator(this.ctx, this.args.slice(1, 3)).evaluate()
    }
    return this.expression()
  }

  private async expression(): Promise<boolean> {
    const value = await this.or()
    if (this.i < this.args.length) throw new TestError(`extra argument ${quoteLocale(this.args[this.i] as string)}`)
    return value
  }

  /** operand (operator operand)*, evaluating every operand as GNU test does. */
  private async chain(operator: '-o' | '-a', operand: () => Promise<boolean>): Promise<boolean> {
    let value = await operand()
    while (this.peek() === operator) {
      this.i++
      const right = await operand()
      value = operator === '-o' ? value || right : value && right
    }
    return value
  }

  private or(): Promise<boolean> {
    return this.chain('-o', () => this.and())
  }

  private and(): Promise<boolean> {
    return this.chain('-a', () => this.term())
  }

  private async term(): Promise<boolean> {
    const arg = this.take()
    if (arg === '!') return !(await this.term())
    if (arg === '(' && this.peek(1) !== undefined && !BINARY.has(this.peek(1) as string)) {
      const value = await this.or()
      if (this.take() !== ')') throw new TestError(`${quoteLocale(')')} expected`)
      return value
    }
    const next = this.peek()
    if (next !== undefined && BINARY.has(next)) {
      this.i++
      return this.binary(arg, next, this.take())
    }
    if (UNARY.has(arg) && next !== undefined) return this.unary(arg, this.take())
    return arg !== ''
  }
}

export const test: Command = async (ctx) => {
  let args = ctx.args
  if (ctx.name === '[') {
    if (args[args.length - 1] !== ']') throw new TestError(`missing ${quoteLocale(']')}`)
    args = args.slice(0, -1)
  }
  return (await new Evaluator(ctx, args).evaluate()) ? 0 : 1
}
