/**
 * Runs a shell-like command line: the shell interpreter parses it into
 * pipelines and lists, and every stage goes back through `execute`, so each
 * stage is detected and routed to its own tier.
 */
import type { ExecResult, FileSystem } from '../../types/execution'
import type { Execute } from './index'
import type { ResolvedExecOptions } from './executor'

export interface CommandDeps {
  execute: Execute
  fs: FileSystem
  options: Partial<ResolvedExecOptions>
}

export async function runCommand(line: string, deps: CommandDeps): Promise<ExecResult> {
  const { runCommandLine } = await import('./shell/interpreter')
  return runCommandLine(line, {
    fs: deps.fs,
    cwd: deps.options.cwd ?? '/',
    env: deps.options.env ?? {},
    stdin: deps.options.stdin,
    executionId: deps.options.executionId,
    traceparent: deps.options.traceparent,
    runStage: (operation, args, stage) => deps.execute(operation, args, { ...deps.options, ...stage }),
  })
}
