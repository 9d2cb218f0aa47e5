/**
 * find [PATH...] [EXPRESSION]: -name -iname -path -ipath -type (f, d, or a
 * list like f,d) -empty -newer -size -mtime -mmin (-atime -ctime -amin -cmin
 * read the mtime) -perm (octal) -regex -iregex
 * -regextype -maxdepth -mindepth -depth -prune -true -false, actions -print
 * -print0 -printf -delete -exec/-execdir (`;` and `{} +`; the commands go
 * through the router, see CommandContext.run), operators ! -not -a -and -o
 * -or ( ). Without an action, matching entries are printed. Entries come in
 * name order within a directory (GNU uses readdir order). -ok, -ls, -fprint,
 * -user/-group (fsx has no owners) and the rest go to tier 4.
 */
import type { FileStat } from '../../../../types/execution'
import { UnsupportedFeature, UsageError, type Command, type CommandContext } from '../context'
import { ageTest, checkPrintf, permTest, regexTest, renderPrintf, sizeTest } from './find-tests'
import { FindExec, type ExecAction } from './find-exec'
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
  | { kind: 'printf'; format: string }
  | { kind: 'prune' }
  | { kind: 'exec'; action: ExecAction }

interface FindPlan {
  expr: Expr
  hasAction: boolean
  maxDepth?: number
  minDepth: number
  depthFirst: boolean
}

const BASENAME = (display: string) => display.replace(/\/+$/, '').slice(display.replace(/\/+$/, '').lastIndexOf('/') + 1) || display

class ExpressionParser {
  private i = 0
  readonly plan: Omit<FindPlan, 'expr'> = { hasAction: false, minDepth: 0, depthFirst: false }
  private regexType = 'emacs'
  private readonly now = Date.now()
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
      case '-size':
        return this.statTest(sizeTest(this.value(name)))
      case '-mtime':
      case '-atime':
      case '-ctime':
        return this.statTest(ageTest(name, this.value(name), 86_400_000, this.now))
      case '-mmin':
      case '-amin':
      case '-cmin':
        return this.statTest(ageTest(name, this.value(name), 60_000, this.now))
      case '-perm':
        return this.statTest(permTest(this.value(name)))
      case '-regextype':
        this.regexType = this.value(name)
        return { kind: 'test', run: () => true }
      case '-regex':
      case '-iregex': {
        const regex = regexTest(this.value(name), this.regexType, name === '-iregex')
        return { kind: 'test', run: (entry) => regex.test(entry.display) }
      }
      case '-depth':
        this.plan.depthFirst = true
        return { kind: 'test', run: () => true }
      case '-prune':
        return { kind: 'prune' }
      case '-printf': {
        const format = this.value(name)
        checkPrintf(format)
        this.plan.hasAction = true
        return { kind: 'printf', format }
      }
      case '-exec':
      case '-execdir': {
        const argv: string[] = []
        for (;;) {
          const arg = this.args[this.i++]
          if (arg === undefined) throw new UsageError(`missing argument to \`${name}'`, false)
          if (arg === ';' || (arg === '+' && argv[argv.length - 1] === '{}')) {
            if (argv.length === 0) throw new UsageError(`invalid argument \`${arg}' to \`${name}'`, false)
            this.plan.hasAction = true
            if (arg === '+') argv.pop()
            return { kind: 'exec', action: { argv, batch: arg === '+', inDir: name === '-execdir' } }
          }
          argv.push(arg)
        }
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

  private statTest(test: (stat: FileStat) => boolean): Expr {
    return { kind: 'test', run: async (entry) => test(await this.ctx.fs.stat(entry.absolute)) }
  }
}

class FindRun {
  readonly deletions: WalkEntry[] = []
  readonly pruned = new Set<string>()
  readonly exec: FindExec
  /** The path operand the current entry was found under (-printf %H, %P). */
  start = ''

  constructor(private readonly ctx: CommandContext) {
    this.exec = new FindExec(ctx)
  }

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
      case 'prune':
        if (entry.type === 'directory') this.pruned.add(entry.absolute)
        return true
      case 'printf':
        this.ctx.stdout.write(renderPrintf(expr.format, { display: entry.display, start: this.start, depth: entry.depth, stat: await this.ctx.fs.stat(entry.absolute) }))
        return true
      case 'exec':
        return this.exec.run(expr.action, entry)
    }
  }
}

/** -depth: children before their directory (pre-order turned into post-order). */
async function* postOrder(entries: AsyncGenerator<WalkEntry>): AsyncGenerator<WalkEntry> {
  const stack: WalkEntry[] = []
  for await (const entry of entries) {
    while (stack.length > 0 && (stack[stack.length - 1] as WalkEntry).depth >= entry.depth) yield stack.pop() as WalkEntry
    stack.push(entry)
  }
  while (stack.length > 0) yield stack.pop() as WalkEntry
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
    run.start = path
    const entries = walk(ctx, root, {
      ...(plan.maxDepth === undefined ? {} : { maxDepth: plan.maxDepth }),
      onError: (entry, thrown) => fail(`${quoteLocale(entry.display)}: ${fsReason(thrown)}`),
      descend: (entry) => !run.pruned.has(entry.absolute),
    })
    const ordered = plan.depthFirst ? postOrder(entries) : entries
    for await (const entry of ordered) {
      if (entry.depth >= plan.minDepth) await run.evaluate(expr, entry)
    }
  }
  if (!(await run.exec.finish())) status = 1
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
