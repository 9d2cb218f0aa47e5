/**
 * `full` replay: re-execute an execution's deterministic work in a dry,
 * side-effect-free context and report where it diverges from the record.
 *
 * Dry means: a scratch in-memory fsx of its own (never the tenant's store,
 * nor the isolate's shared memory backend) seeded with the
 * files the work reads — copied, read-only, from the tenant's store, each
 * named with its sha-256 in the report — and a tier table where only tier 1
 * (native TypeScript, no network, no processes) exists. Work that needs any
 * other tier, or a capability marked non-deterministic, is not re-executed;
 * the report says why.
 */
import { sha256Hex } from '../../core/digest'
import type { ExecResult, FileSystem } from '../../../types/execution'
import type { Env } from '../../env'
import { runCommand } from '../../execution/command'
import { createScratchFileSystem, tenantRoot } from '../../execution/fsx/index'
import { createExecute } from '../../execution/index'
import { NATIVE_OPERATIONS, nativeExecutor } from '../../execution/native/index'
import { unavailableTier } from '../../execution/tier-table'
import type { TierTable } from '../../execution/tiers'
import { splitCommandLine } from '../../governance/command-stages'
import { actionsForExec } from '../../governance/exec-actions'
import { tenantFileSystem } from '../../agent/exec-service'

/** The work as recorded: a command line, or an operation with args; stdin when known. */
export interface RecordedWork {
  command?: string
  operation?: string
  args?: string[]
  stdin?: string
  /** False when the capability that produced the work says it is not deterministic. */
  deterministic: boolean
}

export interface RecordedOutcome {
  exitCode?: number
  stdout?: string
}

export interface FileDigest {
  path: string
  sha256: string
  bytes: number
}

export type DryRunReport =
  | { reexecuted: false; reason: string }
  | {
      reexecuted: true
      matches: boolean
      differences: Array<{ field: 'exitCode' | 'stdout'; recorded: unknown; replayed: unknown }>
      replayed: { ok: boolean; exitCode: number; stdout: string; stderr: string; errorCode?: string }
      inputs: FileDigest[]
      missingInputs: string[]
      writes: FileDigest[]
    }

const DRY_TIERS: TierTable = { 1: nativeExecutor, 2: unavailableTier(2), 3: unavailableTier(3), 4: unavailableTier(4) }

async function digest(path: string, bytes: Uint8Array): Promise<FileDigest> {
  return { path, sha256: await sha256Hex(bytes), bytes: bytes.byteLength }
}

function nonNativeStage(work: RecordedWork): string | undefined {
  const operations = work.command !== undefined ? splitCommandLine(work.command).map((s) => s.operation) : [work.operation ?? '']
  return operations.find((op) => op !== '' && !NATIVE_OPERATIONS.has(op))
}

/** Copies the files the work reads from the tenant's store into the dry filesystem (reading only). */
async function seed(dry: FileSystem, source: FileSystem, work: RecordedWork): Promise<{ inputs: FileDigest[]; missing: string[] }> {
  const reads = actionsForExec(work).filter((a) => a.startsWith('fs:read:')).map((a) => a.slice('fs:read:'.length))
  const inputs: FileDigest[] = []
  const missing: string[] = []
  for (const path of reads) {
    if (!(await source.exists(path)) || (await source.stat(path)).type !== 'file') {
      missing.push(path)
      continue
    }
    const bytes = await source.read(path)
    await dry.write(path, bytes, { parents: true })
    inputs.push(await digest(path, bytes))
  }
  return { inputs, missing }
}

async function changedFiles(dry: FileSystem, inputs: FileDigest[]): Promise<FileDigest[]> {
  const before = new Map(inputs.map((i) => [i.path, i.sha256]))
  const writes: FileDigest[] = []
  for (const path of (await dry.glob('**')).sort()) {
    if ((await dry.stat(path)).type !== 'file') continue
    const now = await digest(path, await dry.read(path))
    if (before.get(path) !== now.sha256) writes.push(now)
  }
  return writes
}

export async function dryRun(env: Env, tenantId: string, work: RecordedWork, recorded: RecordedOutcome): Promise<DryRunReport> {
  if (!work.deterministic) return { reexecuted: false, reason: 'the capability that served it is marked non-deterministic' }
  if (work.command === undefined && work.operation === undefined) return { reexecuted: false, reason: 'the record does not say what ran' }
  const foreign = nonNativeStage(work)
  if (foreign !== undefined) return { reexecuted: false, reason: `"${foreign}" is not a tier-1 native operation; only those re-execute without side effects` }

  const dry = createScratchFileSystem(tenantRoot(tenantId))
  const { inputs, missing } = await seed(dry, tenantFileSystem(env, tenantId), work)
  const execute = createExecute({ bindings: env, fs: dry, tenantId, tiers: DRY_TIERS })
  const options = { tier: 1 as const, fallback: false, ...(work.stdin !== undefined ? { stdin: work.stdin } : {}) }
  const result: ExecResult =
    work.command !== undefined ? await runCommand(work.command, { execute, fs: dry, options }) : await execute(work.operation ?? '', work.args ?? [], options)

  const differences: Array<{ field: 'exitCode' | 'stdout'; recorded: unknown; replayed: unknown }> = []
  if (recorded.exitCode !== undefined && recorded.exitCode !== result.exitCode) differences.push({ field: 'exitCode', recorded: recorded.exitCode, replayed: result.exitCode })
  if (recorded.stdout !== undefined && recorded.stdout !== result.stdout) differences.push({ field: 'stdout', recorded: recorded.stdout, replayed: result.stdout })
  return {
    reexecuted: true,
    matches: differences.length === 0,
    differences,
    replayed: { ok: result.ok, exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, ...(result.error ? { errorCode: result.error.code } : {}) },
    inputs,
    missingInputs: missing,
    writes: await changedFiles(dry, inputs),
  }
}
