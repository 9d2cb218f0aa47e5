/**
 * find [PATH...] [EXPRESSION]: -name -iname -path -ipath -type (f, d, or a
 * list like f,d) -empty -newer -maxdepth -mindepth -true -false, actions
 * -print -print0 -delete, operators ! -not -a -and -o -or ( ). Without an
 * action, matching entries are printed. Entries come in name order within a
 * directory (GNU uses readdir order). Other predicates (-exec, -mtime …) go
 * to tier 4.
 */
import { UnsupportedFeature, UsageError, type Command, type CommandContext } from '../context'
import { globToRegExp } from '../glob'
import { fsReason, report, resolve } from '../io'
import { quoteLocale } from '../quote'
import { walk, type WalkEntry } from '../walk'

type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'test'; run: (entry: WalkEntry) => Promise<boolean> | boolean }
  | { kind: 'print'; terminator: string }
  | { kind: 'delete' }

interface FindPlan {
  expr: Expr
  hasAction: boolean
  maxDepth?: number
  minDepth: number
}

const BASENAME = (display: string) => display.replace(/\/+$/, '').slice(display.replace(/\/+$/, '').lastIndexOf('/') + 1) || display

class ExpressionParser {
  private i = 0
  readonly plan: Omit<FindPlan, 'expr'> = { hasAction: false, minDepth: 0 }
  /** Lookups the expression needs before the walk (-newer's reference file). */
  readonly pending: Array<Promise<void>> = []

  constructor(
    private readonly ctx: CommandContext,
    private readonly args: readonly string[],
  ) {}

  private value(option: string): string {
    const value = this.args[this.i++]
    if (value === undefined) throw new UsageError(`missing argument to \`${option}'`, false)
    return value
  }

  private depth(option: string): number {
    const text = this.value(option)
    if (!/^\d+$/.test(text)) throw new UsageError(`Expected a positive decimal integer argument to ${option}, but got ${quoteLocale(text)}`, false)
    return Number(text)
  }

  parse(): Expr {
    if (this.args.length === 0) return { kind: 'test', run: () => true }
    const expr = this.or()
    if (this.i < this.args.length) throw new UsageError(`paths must precede expression: ${quoteLocale(this.args[this.i] as string)}`, false)
    return expr
  }

  private or(): Expr {
    let left = this.and()
    while (this.args[this.i] === '-o' || this.args[this.i] === '-or') {
      this.i++
      left = { kind: 'or', left, right: this.and() }
    }
    return left
  }

  private and(): Expr {
    let left = this.unary()
    for (;;) {
      const next = this.args[this.i]
      if (next === undefined || next === '-o' || next === '-or' || next === ')') return left
      if (next === '-a' || next === '-and') this.i++
      left = { kind: 'and', left, right: this.unary() }
    }
  }

  private unary(): Expr {
    const arg = this.args[this.i]
    if (arg === '!' || arg === '-not') {
      this.i++
      return { kind: 'not', operand: this.unary() }
    }
    if (arg === '(') {
      this.i++
      const inner = this.or()
      if (this.args[this.i++] !== ')') throw new UsageError("invalid expression; I was expecting to find a ')' somewhere but did not see one.", false)
      return inner
    }
    return this.primary()
  }

  private primary(): Expr {
    const name = this.args[this.i++] as string
    const matcher = (pattern: string, ignoreCase: boolean, whole: boolean): Expr => {
      const regex = globToRegExp(pattern, ignoreCase)
      return { kind: 'test', run: (entry) => regex.test(whole ? entry.display : BASENAME(entry.display)) }
    }
    switch (name) {
      case '-name':
      case '-iname':
        return matcher(this.value(name), name === '-iname', false)
      case '-path':
      case '-ipath':
      case '-wholename':
        return matcher(this.value(name), name === '-ipath', true)
      case '-type': {
        const value = this.value(name)
        const types = value.split(',')
        for (const type of types) {
          if (!'fdlpsbc'.includes(type) || type.length !== 1) throw new UsageError(`Unknown argument to -type: ${type}`, false)
        }
        return { kind: 'test', run: (entry) => types.includes(entry.type === 'directory' ? 'd' : 'f') }
      }
      case '-empty':
        return { kind: 'test', run: async (entry) => (entry.type === 'directory' ? (await this.ctx.fs.readdir(entry.absolute)).length === 0 : (await this.ctx.fs.stat(entry.absolute)).size === 0) }
      case '-newer': {
        const reference = this.value(name)
        let mtime = 0
        this.pending.push(
          (async () => {
            try {
              mtime = (await this.ctx.fs.stat(resolve(this.ctx, reference))).mtime
            } catch (thrown) {
              throw new UsageError(`${quoteLocale(reference)}: ${fsReason(thrown)}`, false)
            }
          })(),
        )
        return { kind: 'test', run: async (entry) => (await this.ctx.fs.stat(entry.absolute)).mtime > mtime }
      }
      case '-true':
      case '-false':
        return { kind: 'test', run: () => name === '-true' }
      case '-maxdepth':
        this.plan.maxDepth = this.depth(name)
        return { kind: 'test', run: () => true }
      case '-mindepth':
        this.plan.minDepth = this.depth(name)
        return { kind: 'test', run: () => true }
      case '-print':
      case '-print0':
        this.plan.hasAction = true
        return { kind: 'print', terminator: name === '-print' ? '\n' : '\0' }
      case '-delete':
        this.plan.hasAction = true
        return { kind: 'delete' }
    }
    throw new UnsupportedFeature('find', `the ${name} predicate`)
  }
}

class FindRun {
  readonly deletions: WalkEntry[] = []

  constructor(private readonly ctx: CommandContext) {}

  async evaluate(expr: Expr, entry: WalkEntry): Promise<boolean> {
    switch (expr.kind) {
      case 'and':
        return (await this.evaluate(expr.left, entry)) && this.evaluate(expr.right, entry)
      case 'or':
        return (await this.evaluate(expr.left, entry)) || this.evaluate(expr.right, entry)
      case 'not':
        return !(await this.evaluate(expr.operand, entry))
      case 'test':
        return expr.run(entry)
      case 'print':
        this.ctx.stdout.write(entry.display + expr.terminator)
        return true
      case 'delete':
        this.deletions.push(entry)
        return true
    }
  }
}

export const find: Command = async (ctx) => {
  const firstExpression = ctx.args.findIndex((arg) => arg.startsWith('-') || arg === '!' || arg === '(')
  const paths = firstExpression === -1 ? [...ctx.args] : ctx.args.slice(0, firstExpression)
  const parser = new ExpressionParser(ctx, firstExpression === -1 ? [] : ctx.args.slice(firstExpression))
  const parsedExpr = parser.parse()
  await Promise.all(parser.pending)
  const plan: FindPlan = { ...parser.plan, expr: parsedExpr }
  const expr: Expr = plan.hasAction ? plan.expr : { kind: 'and', left: plan.expr, right: { kind: 'print', terminator: '\n' } }
  const run = new FindRun(ctx)
  let status = 0
  const fail = (message: string) => {
    report(ctx, message)
    status = 1
  }
  for (const path of paths.length > 0 ? paths : ['.']) {
    let root: WalkEntry
    try {
      const absolute = resolve(ctx, path)
      root = { display: path, absolute, type: (await ctx.fs.stat(absolute)).type, depth: 0 }
    } catch (thrown) {
      fail(`${quoteLocale(path)}: ${fsReason(thrown)}`)
      continue
    }
    const entries = walk(ctx, root, {
      ...(plan.maxDepth === undefined ? {} : { maxDepth: plan.maxDepth }),
      onError: (entry, thrown) => fail(`${quoteLocale(entry.display)}: ${fsReason(thrown)}`),
    })
    for await (const entry of entries) {
      if (entry.depth >= plan.minDepth) await run.evaluate(expr, entry)
    }
  }
  // -delete removes children before their parents, as GNU's implied -depth does.
  for (const entry of run.deletions.reverse()) {
    try {
      if (entry.type === 'directory' && (await ctx.fs.readdir(entry.absolute)).length > 0) {
        fail(`cannot delete ${quoteLocale(entry.display)}: Directory not empty`)
        continue
      }
      await ctx.fs.rm(entry.absolute, { recursive: entry.type === 'directory' })
    } catch (thrown) {
      fail(`cannot delete ${quoteLocale(entry.display)}: ${fsReason(thrown)}`)
    }
  }
  return status
}
