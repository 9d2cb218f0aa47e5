/**
 * Runs a shell-like command line: the shell interpreter parses it into
 * pipelines and lists, and every stage goes back through `execute`, so each
 * stage is detected and routed to its own tier — except tier-1 utilities
 * when the call may run on tier 1: those run in process over the stage's
 * streams, so pipelines stream end to end (a utility that refuses a feature
 * before reading or writing still goes through `execute` and on to tier 4).
 */
import type { ExecResult, FileSystem } from '../../types/execution'
import type { Env } from '../env'
import { recordTierRun } from '../telemetry/execution-metrics'
import type { ResolvedExecOptions } from './executor'
import { resolveOptions, type Execute } from './index'
import { NATIVE_OPERATIONS, runNativeStream } from './native/executor'
import { runCommandLine, type StreamStage } from './shell/index'

export interface CommandDeps {
  execute: Execute
  fs: FileSystem
  options: Partial<ResolvedExecOptions>
  /** Where a stage run in process records its telemetry, as the tier router does for routed ones (none in a replay's dry run). */
  bindings?: Env
}

function streamStage(deps: CommandDeps): StreamStage | undefined {
  const { options } = deps
  if (options.tier !== undefined && options.tier !== 1) return undefined
  return (operation, args, io) => {
    if (!NATIVE_OPERATIONS.has(operation)) return undefined
    const running = runNativeStream({
      ...io,
      operation,
      args,
      fs: deps.fs,
      ...(options.executionId ? { executionId: options.executionId } : {}),
      ...(options.traceId ? { traceId: options.traceId } : {}),
      run: ([name = '', ...rest], stdin, cwd, timeoutMs, signal) => deps.execute(name, rest, { ...options, stdin, cwd, env: io.env, timeoutMs, signal }),
    })
    const { bindings } = deps
    if (!bindings || options.tenantId === undefined) return running
    // The execution counter, latency histogram and span of a tier-1 run, like a routed stage's.
    const resolved = resolveOptions(options, options.tenantId)
    return running.then((result) => {
      recordTierRun(bindings, resolved, result)
      return result
    })
  }
}

export function runCommand(line: string, deps: CommandDeps): Promise<ExecResult> {
  const { options } = deps
  const stream = streamStage(deps)
  return runCommandLine(line, {
    fs: deps.fs,
    cwd: options.cwd ?? '/',
    env: options.env ?? {},
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    ...(options.executionId ? { executionId: options.executionId } : {}),
    ...(options.traceparent ? { traceparent: options.traceparent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    // Pinned to tier 4, the line means what bash makes of it in the sandbox: its builtins (`true`, `cd`, `echo`) run there too.
    ...(options.tier !== undefined ? { pinnedTier: options.tier } : {}),
    // Each stage keeps the line's ids, trace and limits; its own stdin/cwd/env come from the shell.
    runStage: (operation, args, io) => deps.execute(operation, args, { ...options, ...io }),
    ...(stream ? { streamStage: stream } : {}),
  })
}
