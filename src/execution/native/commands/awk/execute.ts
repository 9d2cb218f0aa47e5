/**
 * Runs a parsed awk program: BEGIN rules, then (when there are main or END
 * rules) every record of the operands in ARGV order — `var=value` operands
 * assign when reached, `-` and no file operands read stdin — then END rules.
 * `exit` skips to END (or stops, inside END); `next` and `nextfile` unwind to
 * the record loop. Loops and records are paced so a long program stays
 * within its deadline.
 */
import type { CommandContext } from '../../context'
import { fsReason, resolve } from '../../io'
import { decodeUtf8 } from '../../text'
import type { Program, Rule, Stmt } from './ast'
import { AwkFatal, ExitSignal, NextSignal } from './errors'
import { Evaluator, ReturnSignal } from './evaluate'
import { decodeEscapes } from './lexer'
import { RecordReader } from './records'
import { inputValue, toNumber, truthy, UNINIT, type Value } from './values'

type Completion = 'normal' | 'break' | 'continue'

const ASSIGNMENT_OPERAND = /^[A-Za-z_][A-Za-z0-9_]*=/s

export class Interpreter extends Evaluator {
  private reader: RecordReader | undefined
  private argIndex = 1
  private readAnyFile = false
  private inputDone = false
  private readonly inRange = new Set<Rule>()
  /** Whether the record loop is running (gawk's fatal errors then name FILENAME and FNR). */
  inMainRules = false
  /** Warnings gawk prints while running (escape sequences in assignments). */
  readonly warn: (message: string) => void

  constructor(ctx: CommandContext, program: Program, warn: (message: string) => void) {
    super(ctx, program)
    this.warn = warn
  }

  /** Applies `name=value` (a -v option or an operand) with escapes decoded, as a strnum. */
  assignCommandLine(assignment: string): void {
    const eq = assignment.indexOf('=')
    const decoded = decodeEscapes(assignment.slice(eq + 1))
    for (const warning of decoded.warnings) this.warn(warning)
    this.setVar(assignment.slice(0, eq), inputValue(decoded.text))
  }

  setArguments(operands: readonly string[]): void {
    const argv = this.array('ARGV')
    argv.set('0', 'awk')
    operands.forEach((operand, index) => argv.set(String(index + 1), inputValue(operand)))
    this.setVar('ARGC', operands.length + 1)
  }

  /** Runs the whole program; resolves to the exit status. */
  async run(): Promise<number> {
    let status = 0
    const rules = this.program.rules
    try {
      try {
        for (const rule of rules) if (rule.pattern.kind === 'begin') await this.execBody(rule.action ?? [])
        if (rules.some((rule) => rule.pattern.kind !== 'begin')) {
          this.inMainRules = true
          await this.recordLoop()
          this.inMainRules = false
        }
      } catch (thrown) {
        if (!(thrown instanceof ExitSignal)) throw thrown
        status = thrown.status ?? status
      }
      try {
        for (const rule of rules) if (rule.pattern.kind === 'end') await this.execBody(rule.action ?? [])
      } catch (thrown) {
        if (!(thrown instanceof ExitSignal)) throw thrown
        status = thrown.status ?? status
      }
    } catch (thrown) {
      // A fatal error still leaves what was printed to files, as gawk's exit does.
      if (thrown instanceof AwkFatal) await this.streams.flushAll()
      throw thrown
    }
    await this.streams.flushAll()
    return status
  }

  private async recordLoop(): Promise<void> {
    const main = this.program.rules.filter((rule) => rule.pattern.kind !== 'begin' && rule.pattern.kind !== 'end')
    for (;;) {
      const record = await this.nextMainRecord()
      if (record === undefined) return
      this.bumpCounters()
      this.inMainRules = true
      this.setRecord(record)
      await this.tick()
      try {
        for (const rule of main) {
          if (await this.matches(rule)) {
            if (rule.action) await this.execBody(rule.action)
            else await this.print([this.toOutput(this.getField(0))])
          }
        }
      } catch (thrown) {
        if (!(thrown instanceof NextSignal)) throw thrown
        if (thrown.file) this.reader = undefined
      }
    }
  }

  private async matches(rule: Rule): Promise<boolean> {
    const pattern = rule.pattern
    if (pattern.kind === 'all') return true
    if (pattern.kind === 'expr') return truthy(await this.eval(pattern.expr))
    if (pattern.kind !== 'range') return false
    if (!this.inRange.has(rule)) {
      if (!truthy(await this.eval(pattern.from))) return false
      this.inRange.add(rule)
    }
    if (truthy(await this.eval(pattern.to))) this.inRange.delete(rule)
    return true
  }

  protected async nextMainRecord(): Promise<string | undefined> {
    for (;;) {
      if (this.inputDone) return undefined
      if (this.reader) {
        const next = this.reader.next(this.special('RS'), (source) => this.regex(source))
        if (next) return next.record
        this.reader = undefined
      }
      if (!(await this.openNextOperand())) {
        this.inputDone = true
        return undefined
      }
    }
  }

  /** Opens the next file operand (applying assignments on the way); false when none is left. */
  private async openNextOperand(): Promise<boolean> {
    const argv = this.array('ARGV')
    while (this.argIndex < toNumber(this.getVar('ARGC'))) {
      const value = argv.get(String(this.argIndex++))
      const operand = value === undefined ? '' : this.toStr(value)
      if (operand === '') continue
      if (ASSIGNMENT_OPERAND.test(operand)) {
        this.assignCommandLine(operand)
        continue
      }
      this.readAnyFile = true
      this.setVar('FILENAME', operand)
      this.setVar('FNR', 0)
      if (operand === '-' || operand === '/dev/stdin') {
        this.reader = new RecordReader(decodeUtf8(await this.ctx.stdin.readAll()))
        return true
      }
      const path = resolve(this.ctx, operand)
      let text: string
      try {
        if ((await this.ctx.fs.stat(path)).type === 'directory') {
          this.warn(`warning: command line argument \`${operand}' is a directory: skipped`)
          continue
        }
        text = decodeUtf8(await this.ctx.fs.read(path))
      } catch (thrown) {
        throw new AwkFatal(`cannot open file \`${operand}' for reading: ${fsReason(thrown)}`, 'input')
      }
      this.reader = new RecordReader(text)
      return true
    }
    if (this.readAnyFile) return false
    this.readAnyFile = true
    this.reader = new RecordReader(decodeUtf8(await this.ctx.stdin.readAll()))
    return true
  }

  private async print(parts: string[], redirect?: { mode: '>' | '>>'; name: string }): Promise<void> {
    const text = parts.join(this.special('OFS')) + this.special('ORS')
    if (redirect) await this.streams.write(redirect.name, redirect.mode, text)
    else this.ctx.stdout.write(text)
  }

  async execBody(body: Stmt[]): Promise<void> {
    for (const stmt of body) await this.exec(stmt)
  }

  private async execLoopBody(body: Stmt): Promise<Completion> {
    await this.tick()
    return this.exec(body)
  }

  private async exec(stmt: Stmt): Promise<Completion> {
    if (stmt.line !== undefined) this.line = stmt.line
    switch (stmt.type) {
      case 'expr':
        await this.eval(stmt.expr)
        return 'normal'
      case 'print':
      case 'printf': {
        const redirect = stmt.redirect ? { mode: stmt.redirect.mode, name: this.toStr(await this.eval(stmt.redirect.target)) } : undefined
        if (stmt.type === 'print') {
          const parts = stmt.args.length === 0 ? [this.toStr(this.getField(0))] : (await this.evalAll(stmt.args)).map((value) => this.toOutput(value))
          await this.print(parts, redirect)
          return 'normal'
        }
        const values = await this.evalAll(stmt.args)
        const text = this.formatValues(this.toStr(values[0] as Value), values.slice(1))
        if (redirect) await this.streams.write(redirect.name, redirect.mode, text)
        else this.ctx.stdout.write(text)
        return 'normal'
      }
      case 'block':
        for (const inner of stmt.body) {
          const completion = await this.exec(inner)
          if (completion !== 'normal') return completion
        }
        return 'normal'
      case 'if':
        if (truthy(await this.eval(stmt.test))) return this.exec(stmt.yes)
        return stmt.no ? this.exec(stmt.no) : 'normal'
      case 'while':
        while (truthy(await this.eval(stmt.test))) {
          if ((await this.execLoopBody(stmt.body)) === 'break') break
        }
        return 'normal'
      case 'do':
        do {
          if ((await this.execLoopBody(stmt.body)) === 'break') break
        } while (truthy(await this.eval(stmt.test)))
        return 'normal'
      case 'for':
        if (stmt.init) await this.eval(stmt.init)
        while (!stmt.test || truthy(await this.eval(stmt.test))) {
          if ((await this.execLoopBody(stmt.body)) === 'break') break
          if (stmt.step) await this.eval(stmt.step)
        }
        return 'normal'
      case 'forIn': {
        const keys = [...this.array(stmt.array).keys()]
        for (const key of keys) {
          // Integer-looking subscripts come back as numbers, others as strings (gawk's integer arrays).
          await this.set(stmt.variable, /^-?(?:0|[1-9][0-9]{0,15})$/.test(key) ? Number(key) : key)
          if ((await this.execLoopBody(stmt.body)) === 'break') break
        }
        return 'normal'
      }
      case 'break':
        return 'break'
      case 'continue':
        return 'continue'
      case 'next':
        throw new NextSignal(stmt.file)
      case 'exit':
        throw new ExitSignal(stmt.status ? Math.trunc(toNumber(await this.eval(stmt.status))) & 0xff : undefined)
      case 'return':
        throw new ReturnSignal(stmt.value ? await this.eval(stmt.value) : UNINIT)
      case 'delete': {
        const array = this.array(stmt.name)
        if (stmt.subscripts) array.delete(this.subscript(await this.evalAll(stmt.subscripts)))
        else array.clear()
        return 'normal'
      }
    }
  }
}
