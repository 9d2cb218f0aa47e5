/**
 * The interpreter: one `Shell` per shell environment (a subshell, `$(…)` or
 * pipeline stage gets a copy). It runs lists, and-or lists, pipelines and
 * simple commands; compound commands are in run-compound.ts, builtins in
 * builtins-*.ts. A command that is neither a function nor a builtin is a
 * stage (stage.ts). The stages of a pipeline run at once, connected by
 * bounded pipes (pipeline.ts). Every command counts against the line's limits and checks
 * its deadline; every few hundred the shell yields to the event loop.
 */
import type { StageSummary } from '../../../types/execution'
import type { ErrorCode } from '../../../types/errors'
import type { AndOr, Command, CommandList, FunctionDef, Pipeline, Redirect, SimpleCommand, Word } from './ast'
import { BUILTINS } from './builtins'
import { DECLARATION_BUILTINS, runDeclaration } from './builtins-vars'
import { plainText } from './parser'
import { ExitShell, LineAborted, ReturnFromFunction, type ShellLimits } from './control'
import { expandString, expandWords } from './expand'
import { ExpansionError, type ExpandHost, type ShellOptions } from './expansion-types'
import { BadDescriptor, BufferSink, OUTPUT_CAP_BYTES, type IO } from './io'
import { ByteReader } from '../native/stream'
import { runPipelineStages } from './pipeline'
import { timed } from './time'
import { applyRedirects, RedirectFailed } from './redirect'
import { runCompound } from './run-compound'
import { runExternal, type ShellDeps } from './stage'
import { assign } from './assign'
import { ReadonlyVariable, Variables } from './variables'

/** What every shell environment of one line shares: its deps, stages, limits and counters. */
export interface Line {
  deps: ShellDeps
  stages: StageSummary[]
  limits: ShellLimits
  commands: number
  iterations: number
  /** Set when the deadline or the caller's signal fires. */
  signal: AbortSignal
  timedOut: () => boolean
  /** When the line's deadline falls (Date.now() clock), for the time a stage has left. */
  endsAt: number
  stderr: BufferSink
  /** Flushes of files opened by `exec >file`, run when the line ends. */
  finalizers: Array<() => Promise<void>>
  /** The error code behind the last status when it was not the command's own exit (set by stages). */
  errorCode?: ErrorCode
}

const YIELD_EVERY = 256

export class Shell implements ExpandHost {
  vars: Variables
  positional: string[] = []
  options: ShellOptions = { errexit: false, nounset: false, pipefail: false, noglob: false, nullglob: false, dotglob: false, globstar: false, xtrace: false, allexport: false }
  cwd: string
  functions = new Map<string, FunctionDef>()
  lastStatus = 0
  traps = new Map<string, string>()
  depth = 0
  /** >0 while running a condition (if/while test, && || left side, !): errexit does not apply. */
  conditionDepth = 0
  loopDepth = 0
  /** Where this environment's stage summaries go: the line's list, or a pipeline stage's own (kept in stage order). */
  stageLog: StageSummary[]

  constructor(
    readonly line: Line,
    readonly fs: ShellDeps['fs'],
    cwd: string,
    env: Record<string, string>,
  ) {
    this.cwd = cwd
    this.vars = new Variables(env)
    this.stageLog = line.stages
  }

  special(name: string): string {
    switch (name) {
      case '?': return String(this.lastStatus)
      case '$': return '1'
      case '!': return ''
      case '0': return 'bash'
      default: return `${this.options.errexit ? 'e' : ''}${this.options.nounset ? 'u' : ''}hB`
    }
  }

  /** A copy for a subshell, `$(…)` or pipeline stage: changes do not come back. */
  subshell(): Shell {
    const child = new Shell(this.line, this.fs, this.cwd, {})
    child.vars = this.vars.clone()
    child.positional = [...this.positional]
    child.options = { ...this.options }
    child.functions = new Map(this.functions)
    child.lastStatus = this.lastStatus
    child.depth = this.depth + 1
    child.conditionDepth = this.conditionDepth
    child.stageLog = this.stageLog
    if (child.depth > this.line.limits.depth) this.abort('RESOURCE_EXHAUSTED', `subshells nested deeper than ${this.line.limits.depth}; simplify the line or run it on tier 4`)
    return child
  }

  abort(code: 'RESOURCE_EXHAUSTED' | 'TIMEOUT' | 'CANCELLED' | 'OUTPUT_TRUNCATED', message: string, status = 1): never {
    throw new LineAborted(code, message, status)
  }

  /** Counts a command against the limits, and yields to the event loop every so often. */
  async tick(): Promise<void> {
    const line = this.line
    if (++line.commands > line.limits.commands) this.abort('RESOURCE_EXHAUSTED', `the line ran more than ${line.limits.commands} commands; narrow it or run it on tier 4`)
    if (line.commands % YIELD_EVERY === 0) await new Promise<void>((resolve) => setTimeout(resolve, 0))
    this.checkDeadline()
  }

  checkDeadline(): void {
    if (!this.line.signal.aborted) return
    if (this.line.timedOut()) this.abort('TIMEOUT', `the command line did not finish within ${this.line.deps.timeoutMs ?? 0} ms; raise timeoutMs or bound the loop`, 124)
    this.abort('CANCELLED', 'the command line was cancelled by the caller', 130)
  }

  async loopIteration(): Promise<void> {
    if (++this.line.iterations > this.line.limits.iterations) this.abort('RESOURCE_EXHAUSTED', `loops ran more than ${this.line.limits.iterations} iterations; bound the loop or run it on tier 4`)
    await this.tick()
  }

  /** `set -e`: a failed command outside a condition ends the shell. */
  checkErrexit(): void {
    if (this.options.errexit && this.lastStatus !== 0 && this.conditionDepth === 0) throw new ExitShell(this.lastStatus)
  }

  async condition<T>(work: () => Promise<T>): Promise<T> {
    this.conditionDepth++
    try {
      return await work()
    } finally {
      this.conditionDepth--
    }
  }

  reportError(io: IO, message: string): void {
    io.stderr.write(`bash: ${message}\n`)
  }

  async runList(list: CommandList, io: IO): Promise<void> {
    for (const item of list.items) await this.runAndOr(item.node, io)
  }

  private async runAndOr(node: AndOr | Pipeline, io: IO): Promise<void> {
    if (node.kind === 'pipeline') return this.runPipeline(node, io)
    await this.condition(() => this.runAndOr(node.left, io))
    if ((node.kind === 'and') === (this.lastStatus === 0)) await this.runPipeline(node.right, io)
  }

  async runPipeline(pipeline: Pipeline, io: IO): Promise<void> {
    if (pipeline.timed) return timed(this, pipeline.timed === 'posix', io, () => this.runPipeline({ ...pipeline, timed: undefined }, io))
    const run = async () => {
      if (pipeline.commands.length === 1) await this.runCommand(pipeline.commands[0] as Command, io)
      else this.lastStatus = await runPipelineStages(this, pipeline, io)
    }
    if (pipeline.negated) {
      await this.condition(run)
      this.lastStatus = this.lastStatus === 0 ? 1 : 0
      return
    }
    await run()
    if (pipeline.commands.length > 1) this.checkErrexit()
  }

  async runCommand(command: Command, io: IO): Promise<void> {
    this.checkDeadline()
    if (command.kind === 'function') {
      this.functions.set(command.name, command)
      this.lastStatus = 0
      return
    }
    if (command.kind === 'compound') {
      await this.withRedirects(command.redirects, io, (redirected) => runCompound(this, command.body, redirected))
      if (command.body.kind === 'arith' || command.body.kind === 'cond' || command.body.kind === 'subshell') this.checkErrexit()
      return
    }
    await this.runSimple(command, io)
    this.checkErrexit()
  }

  /** Runs `work` with the redirections applied, then flushes files; a failed redirection is status 1. */
  async withRedirects(redirects: readonly Redirect[], io: IO, work: (io: IO) => Promise<void>): Promise<boolean> {
    let applied: Awaited<ReturnType<typeof applyRedirects>> = { io, flush: async () => undefined }
    try {
      if (redirects.length > 0) applied = await applyRedirects(redirects, io, this)
    } catch (thrown) {
      if (!(thrown instanceof RedirectFailed)) throw thrown
      this.reportError(io, thrown.message)
      this.lastStatus = 1
      return false
    }
    try {
      await work(applied.io)
    } catch (thrown) {
      // A write to a descriptor closed with >&- (here or by exec) fails the command, as EBADF does.
      if (!(thrown instanceof BadDescriptor)) throw thrown
      this.reportError(io, 'write error: Bad file descriptor')
      this.lastStatus = 1
    } finally {
      await applied.flush()
    }
    return true
  }

  async substitute(list: CommandList): Promise<string> {
    const child = this.subshell()
    const out = new BufferSink(OUTPUT_CAP_BYTES, 'the output of $(…)')
    await child.runIsolated(list, { stdin: ByteReader.of(), stdout: out, stderr: this.line.stderr })
    this.lastStatus = child.lastStatus
    return out.text()
  }

  /** Runs a list as a subshell body: exit ends only this environment. */
  async runIsolated(list: CommandList, io: IO): Promise<void> {
    try {
      await this.runList(list, io)
    } catch (thrown) {
      if (thrown instanceof ExitShell) this.lastStatus = thrown.status
      else if (thrown instanceof ReturnFromFunction) this.lastStatus = thrown.status
      else throw thrown
    }
  }

  private async runSimple(command: SimpleCommand, io: IO): Promise<void> {
    await this.tick()
    this.line.errorCode = undefined
    const head = command.words[0] && plainText(command.words[0])
    if (head !== undefined && DECLARATION_BUILTINS.has(head) && !this.functions.has(head) && command.assignments.length === 0) {
      await this.withRedirects(command.redirects, io, async (redirected) => {
        try {
          this.lastStatus = await runDeclaration(this, head, command.words.slice(1), redirected)
        } catch (thrown) {
          this.expansionFailed(thrown, redirected)
        }
      })
      return
    }
    let argv: string[]
    try {
      argv = await expandWords(command.words, this)
    } catch (thrown) {
      return this.expansionFailed(thrown, io)
    }
    const [name, ...args] = argv
    if (name === 'exec') return this.exec(command, args, io)
    if (name === undefined) {
      this.lastStatus = 0
      try {
        for (const assignment of command.assignments) await assign(this, assignment)
      } catch (thrown) {
        return this.expansionFailed(thrown, io)
      }
      await this.withRedirects(command.redirects, io, async () => undefined)
      return
    }
    const prefix: Array<readonly [string, string]> = []
    try {
      for (const assignment of command.assignments) prefix.push([assignment.name, await expandString(assignment.value, this)])
    } catch (thrown) {
      return this.expansionFailed(thrown, io)
    }
    await this.withRedirects(command.redirects, io, async (redirected) => {
      const fn = this.functions.get(name)
      const builtin = BUILTINS.get(name)
      if (fn || (builtin && prefix.length > 0)) return this.withTemporaryVars(prefix, () => (fn ? this.callFunction(fn, args, redirected) : this.runBuiltin(name, args, redirected)))
      if (builtin) return this.runBuiltin(name, args, redirected)
      this.lastStatus = await runExternal(this, name, args, prefix, redirected)
    })
  }

  /** `exec` with only redirections changes the shell's own descriptors; with a command, runs it and exits. */
  private async exec(command: SimpleCommand, args: string[], io: IO): Promise<void> {
    if (args.length > 0) {
      await this.runSimple({ ...command, words: command.words.slice(1) }, io)
      throw new ExitShell(this.lastStatus)
    }
    try {
      const applied = await applyRedirects(command.redirects, io, this)
      Object.assign(io, applied.io)
      this.line.finalizers.push(applied.flush)
      this.lastStatus = 0
    } catch (thrown) {
      if (!(thrown instanceof RedirectFailed)) throw thrown
      this.reportError(io, thrown.message)
      this.lastStatus = 1
    }
  }

  private async runBuiltin(name: string, args: string[], io: IO): Promise<void> {
    const builtin = BUILTINS.get(name)
    if (builtin) this.lastStatus = await builtin(this, args, io)
    // Output into a pipe waits here until the next stage has room (a loop of echo keeps pace with its reader).
    await io.stdout.drain()
  }

  private async withTemporaryVars(vars: ReadonlyArray<readonly [string, string]>, work: () => Promise<void>): Promise<void> {
    const saved = vars.map(([name]) => [name, this.vars.get(name)] as const)
    for (const [name, value] of vars) this.vars.update(name, (variable) => {
      variable.value = { kind: 'scalar', value }
      variable.exported = true
    })
    try {
      await work()
    } finally {
      for (const [name, variable] of saved) {
        if (variable) this.vars.setValue(name, variable.value)
        else this.vars.unset(name)
      }
    }
  }

  async callFunction(fn: FunctionDef, args: string[], io: IO): Promise<void> {
    if (this.depth + this.vars.depth >= this.line.limits.depth) this.abort('RESOURCE_EXHAUSTED', `functions nested deeper than ${this.line.limits.depth} calls; check the recursion ends`)
    const savedPositional = this.positional
    this.positional = args
    this.vars.pushFrame()
    try {
      await this.runCommand(fn.body, io)
    } catch (thrown) {
      if (!(thrown instanceof ReturnFromFunction)) throw thrown
      this.lastStatus = thrown.status
    } finally {
      this.vars.popFrame()
      this.positional = savedPositional
    }
  }

  expansionFailed(thrown: unknown, io: IO): never {
    if (thrown instanceof ExpansionError || thrown instanceof ReadonlyVariable) {
      this.reportError(io, thrown.message)
      const status = thrown instanceof ExpansionError ? thrown.status : 1
      this.lastStatus = status
      throw new ExitShell(status)
    }
    throw thrown
  }

  async expandWords(words: readonly Word[]): Promise<string[]> {
    return expandWords(words, this)
  }
}
