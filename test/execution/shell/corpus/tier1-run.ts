/**
 * Runs one corpus line on tier 1 — the shell over the tier-1 executor, on an
 * fsx filesystem seeded with the corpus fixtures under /work — and reports
 * the same shape as bash-run.mjs: stdout, exit status and the file changes.
 * Stages go straight to the native executor (no other tier is wired), so a
 * program tier 1 does not have answers 127 as bash's "command not found";
 * they stream, as they do through the fabric (command.ts).
 */
import type { FileSystem } from '../../../../types/execution'
import type { Env } from '../../../../src/env'
import { nativeExecutor } from '../../../../src/execution/native/index'
import { NATIVE_OPERATIONS, runNativeStream } from '../../../../src/execution/native/executor'
import { runCommandLine, type RunStage, type ShellDeps } from '../../../../src/execution/shell/index'
import { decodeUtf8 } from '../../../../src/execution/native/text'
import { LINE_TIMEOUT_MS } from './lines.mjs'

export const CWD = '/work'
export const HOME = '/home/corpus'

export interface LineOutcome {
  stdout: string
  exitCode: number
  changed: Record<string, string>
  removed: string[]
  code?: string
}

async function walk(fs: FileSystem, dir: string, prefix: string, out: Record<string, string>): Promise<void> {
  for (const entry of await fs.readdir(dir)) {
    const path = `${dir}/${entry.name}`
    const relative = `${prefix}${entry.name}`
    if (entry.type === 'directory') {
      out[`${relative}/`] = ''
      await walk(fs, path, `${relative}/`, out)
    } else out[relative] = decodeUtf8(await fs.read(path))
  }
}

function treeChanges(fixtures: Record<string, string>, after: Record<string, string>): Pick<LineOutcome, 'changed' | 'removed'> {
  const before: Record<string, string> = { ...fixtures }
  for (const path of Object.keys(fixtures)) {
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) before[`${parts.slice(0, i).join('/')}/`] = ''
  }
  const changed: Record<string, string> = {}
  for (const [path, text] of Object.entries(after)) if (before[path] !== text) changed[path] = text
  const removed = Object.keys(before)
    .filter((path) => !(path in after))
    .sort()
  return { changed, removed }
}

/** Stages on tier 1 alone, as the fabric runs them (command.ts): utilities stream, the rest answer 127. */
export function tier1Stages(fs: FileSystem, bindings: Env): Pick<ShellDeps, 'runStage' | 'streamStage'> {
  const runStage: RunStage = (operation, args, io) =>
    nativeExecutor.run({
      operation,
      args,
      fs,
      bindings,
      options: { executionId: 'exe_corpus', traceparent: '', traceId: '', tenantId: 'corpus', cwd: io.cwd, env: io.env, timeoutMs: LINE_TIMEOUT_MS, stdin: io.stdin },
    })
  return {
    runStage,
    streamStage: (operation, args, io) =>
      NATIVE_OPERATIONS.has(operation) ? runNativeStream({ ...io, operation, args, fs, run: ([name = '', ...rest], stdin, cwd) => runStage(name, rest, { stdin, cwd, env: io.env }) }) : undefined,
  }
}

export async function runTier1(fs: FileSystem, fixtures: Record<string, string>, line: string, bindings: Env): Promise<LineOutcome> {
  await fs.mkdir(CWD, { recursive: true })
  for (const [path, text] of Object.entries(fixtures)) await fs.write(`${CWD}/${path}`, text, { parents: true })
  const result = await runCommandLine(line, { fs, cwd: CWD, env: { HOME }, timeoutMs: LINE_TIMEOUT_MS, ...tier1Stages(fs, bindings) })
  const after: Record<string, string> = {}
  await walk(fs, CWD, '', after)
  return { stdout: result.stdout, exitCode: result.exitCode, ...treeChanges(fixtures, after), ...(result.error ? { code: result.error.code } : {}) }
}
