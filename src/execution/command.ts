/**
 * Runs a shell-like command line: the shell interpreter parses it into
 * pipelines and lists, and every stage goes back through `execute`, so each
 * stage is detected and routed to its own tier.
 */
import type { ExecResult, FileSystem } from '../../types/execution'
import type { ResolvedExecOptions } from './executor'
import type { Execute } from './index'
import { runCommandLine } from './shell/index'

export interface CommandDeps {
  execute: Execute
  fs: FileSystem
  options: Partial<ResolvedExecOptions>
}

export function runCommand(line: string, deps: CommandDeps): Promise<ExecResult> {
  const { options } = deps
  return runCommandLine(line, {
    fs: deps.fs,
    cwd: options.cwd ?? '/',
    env: options.env ?? {},
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    ...(options.executionId ? { executionId: options.executionId } : {}),
    ...(options.traceparent ? { traceparent: options.traceparent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    // Each stage keeps the line's ids, trace and limits; its own stdin/cwd/env come from the shell.
    runStage: (operation, args, io) => deps.execute(operation, args, { ...options, ...io }),
  })
}
