/**
 * Expression evaluation: operators with awk's conversions, assignment to
 * variables, array elements and fields, user function calls (scalars by
 * value, arrays by reference, locals as extra parameters), and getline. The
 * statements (and the record loop getline reads from) are in execute.ts.
 */
import { UnsupportedFeature, type CommandContext } from '../../context'
import { Pacer } from '../../pace'
import type { Expr, FunctionDef, LValue, Program, Stmt } from './ast'
import { callBuiltin } from './builtins'
import { AwkFatal } from './errors'
import { Runtime, type Cell } from './runtime'
import { Streams } from './streams'
import { compareValues, inputValue, toNumber, truthy, UNINIT, type Value } from './values'

/** Deeper recursion than this goes to tier 4 rather than risking the isolate's stack. */
const MAX_CALL_DEPTH = 1000

/** Pacer units one loop turn or record counts for (the Pacer's slice is sized for regex steps). */
const TURN_WEIGHT = 100

export class ReturnSignal {
  constructor(readonly value: Value) {}
}

export abstract class Evaluator extends Runtime {
  readonly streams: Streams
  private readonly pacer: Pacer
  private work = 0
  private depth = 0
  /** The line of the statement running, for `cmd. line:N:` in fatal errors. */
  line = 0
  /** `cmd. line`, or the -f file the program came from. */
  sourceName = 'cmd. line'

  constructor(
    ctx: CommandContext,
    readonly program: Program,
  ) {
    super(ctx)
    this.streams = new Streams(ctx)
    this.pacer = new Pacer(ctx.signal)
  }

  /** The next record of the main input (plain getline), or undefined at its end. */
  protected abstract nextMainRecord(): Promise<string | undefined>
  protected abstract execBody(body: Stmt[]): Promise<void>

  /** A gawk runtime warning, located at the statement running. */
  warnAt(message: string): void {
    this.ctx.stderr.write(`awk: ${this.sourceName}:${this.line}: warning: ${message}\n`)
  }

  /** Counts a unit of work (a record, a loop turn) and yields to the event loop every slice. */
  async tick(): Promise<void> {
    // A loop turn or a record costs far more than a regex step: weigh it so a slice stays ~5-10 ms.
    this.work += TURN_WEIGHT
    const total = this.work + this.counter.steps
    if (this.pacer.due(total)) await this.pacer.pause(total)
  }

  async eval(expr: Expr): Promise<Value> {
    switch (expr.type) {
      case 'number':
        return expr.value
      case 'string':
        return expr.value
      case 'regex':
        return this.regex(expr.source).test(this.toStr(this.getField(0))) ? 1 : 0
      case 'name':
        return this.getVar(expr.name)
      case 'index': {
        const key = this.subscript(await this.evalAll(expr.subscripts))
        const array = this.array(expr.name)
        const value = array.get(key)
        if (value !== undefined) return value
        // Referencing an element creates it, as in every awk.
        array.set(key, UNINIT)
        return UNINIT
      }
      case 'field':
        return this.getField(this.fieldIndex(await this.eval(expr.index)))
      case 'group':
        if (expr.items.length !== 1) throw new UnsupportedFeature('awk', 'a parenthesised list outside print or `in`')
        return this.eval(expr.items[0] as Expr)
      case 'assign':
        return this.assignOp(expr.target, expr.op, expr.value)
      case 'cond':
        return truthy(await this.eval(expr.test)) ? this.eval(expr.yes) : this.eval(expr.no)
      case 'logical': {
        const left = truthy(await this.eval(expr.left))
        if (expr.op === '&&') return left && truthy(await this.eval(expr.right)) ? 1 : 0
        return left || truthy(await this.eval(expr.right)) ? 1 : 0
      }
      case 'in':
        return this.array(expr.array).has(this.subscript(await this.evalAll(expr.subscripts))) ? 1 : 0
      case 'match': {
        const text = this.toStr(await this.eval(expr.left))
        const matched = this.regex(await this.regexSource(expr.right)).test(text)
        return matched !== expr.negate ? 1 : 0
      }
      case 'compare': {
        const order = compareValues(await this.eval(expr.left), await this.eval(expr.right), (value) => this.toStr(value))
        const results = { '<': order < 0, '<=': order <= 0, '==': order === 0, '!=': order !== 0, '>': order > 0, '>=': order >= 0 }
        return results[expr.op] ? 1 : 0
      }
      case 'concat':
        return this.toStr(await this.eval(expr.left)) + this.toStr(await this.eval(expr.right))
      case 'binary':
        return this.arithmetic(expr.op, toNumber(await this.eval(expr.left)), toNumber(await this.eval(expr.right)))
      case 'unary': {
        const value = await this.eval(expr.operand)
        if (expr.op === '!') return truthy(value) ? 0 : 1
        const number = toNumber(value)
        return expr.op === '-' ? -number : number
      }
      case 'incdec': {
        const old = toNumber(await this.get(expr.target))
        const updated = expr.op === '++' ? old + 1 : old - 1
        await this.set(expr.target, updated)
        return expr.prefix ? updated : old
      }
      case 'call':
        return this.callUser(expr.name, expr.args)
      case 'builtin':
        return callBuiltin(this, expr.name, expr.args)
      case 'getline':
        return this.getline(expr.target, expr.file)
    }
  }

  async evalAll(exprs: readonly Expr[]): Promise<Value[]> {
    const values: Value[] = []
    for (const expr of exprs) values.push(await this.eval(expr))
    return values
  }

  /** A regex operand: a literal's own text, or any other value's string as a dynamic regex. */
  async regexSource(expr: Expr): Promise<string> {
    return expr.type === 'regex' ? expr.source : this.toStr(await this.eval(expr))
  }

  arithmetic(op: string, a: number, b: number): number {
    switch (op) {
      case '+':
        return a + b
      case '-':
        return a - b
      case '*':
        return a * b
      case '/':
        if (b === 0) throw new AwkFatal('division by zero attempted')
        return a / b
      case '%':
        if (b === 0) throw new AwkFatal('division by zero attempted in `%\'')
        return a % b
      default:
        return a ** b
    }
  }

  fieldIndex(value: Value): number {
    const index = Math.trunc(toNumber(value))
    if (index < 0) throw new AwkFatal(`attempt to access field ${index}`)
    return index
  }

  async get(target: LValue): Promise<Value> {
    return this.eval(target)
  }

  async set(target: LValue, value: Value): Promise<void> {
    switch (target.type) {
      case 'name':
        return this.setVar(target.name, value)
      case 'index': {
        const key = this.subscript(await this.evalAll(target.subscripts))
        this.array(target.name).set(key, value)
        return
      }
      case 'field':
        return this.setField(this.fieldIndex(await this.eval(target.index)), value)
    }
  }

  private async assignOp(target: LValue, op: string, valueExpr: Expr): Promise<Value> {
    if (op === '=') {
      // The right side first, then the target's subscripts (gawk's order for a[i++] = i).
      const value = await this.eval(valueExpr)
      await this.set(target, value)
      return value
    }
    const right = toNumber(await this.eval(valueExpr))
    const left = toNumber(await this.get(target))
    const result = this.arithmetic(op.slice(0, -1), left, right)
    await this.set(target, result)
    return result
  }

  private async callUser(name: string, argExprs: Expr[]): Promise<Value> {
    const fn: FunctionDef | undefined = this.program.functions.get(name)
    if (!fn) throw new UnsupportedFeature('awk', `a call of the undefined function ${name}()`)
    if (argExprs.length > fn.params.length) throw new UnsupportedFeature('awk', `calling ${name}() with more arguments than it declares`)
    if (this.depth >= MAX_CALL_DEPTH) throw new UnsupportedFeature('awk', `function calls nested deeper than ${MAX_CALL_DEPTH}`)
    const frame = new Map<string, Cell>()
    for (let i = 0; i < fn.params.length; i++) {
      const param = fn.params[i] as string
      const arg = argExprs[i]
      if (!arg) {
        frame.set(param, { value: UNINIT })
        continue
      }
      if (arg.type === 'name' && arg.name !== 'NF') {
        const cell = this.cellOf(arg.name)
        if (cell.array) {
          frame.set(param, { value: UNINIT, array: cell.array })
          continue
        }
        if (cell.value === UNINIT) {
          frame.set(param, { value: UNINIT, link: cell })
          continue
        }
      }
      frame.set(param, { value: await this.eval(arg) })
    }
    const saved = this.locals
    const savedLine = this.line
    this.locals = frame
    this.depth++
    try {
      await this.execBody(fn.body)
      return UNINIT
    } catch (thrown) {
      if (thrown instanceof ReturnSignal) return thrown.value
      throw thrown
    } finally {
      this.depth--
      this.locals = saved
      this.line = savedLine
    }
  }

  private async getline(target: LValue | undefined, fileExpr: Expr | undefined): Promise<Value> {
    if (fileExpr) {
      const name = this.toStr(await this.eval(fileExpr))
      const reader = await this.streams.reader(name)
      if (!reader) return -1
      const next = reader.next(this.special('RS'), (source) => this.regex(source))
      if (!next) return 0
      if (target) await this.set(target, inputValue(next.record))
      else this.setRecord(next.record)
      return 1
    }
    const record = await this.nextMainRecord()
    if (record === undefined) return 0
    this.bumpCounters()
    if (target) await this.set(target, inputValue(record))
    else this.setRecord(record)
    return 1
  }
}
