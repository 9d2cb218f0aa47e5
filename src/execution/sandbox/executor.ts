/**
 * Tier 4: real processes in a Linux sandbox, one per agent (or per tenant for
 * calls without an agent). `run(call)`:
 *
 *   1. mirrors the caller's fsx into the sandbox's work dir (changed files only;
 *      nothing at all, not even a listing, when the last run's manifest still holds),
 *   2. runs `operation args…` as an argv — or, for operation `sh` with a single
 *      argument, that line with `/bin/sh -c` — in `cwd` (an fsx path, i.e.
 *      relative to the work dir), with the caller's env, stdin, timeout and
 *      isolation config,
 *   3. copies what the run created, changed or deleted back into fsx,
 *   4. answers an ExecResult with tier 4 (never throws).
 */
import type { ExecResult, RunLimits } from '../../../types/execution'
import type { IsolationConfig } from '../../../types/fabric'
import { IsolationSchema, type Isolation } from '../../../sandboxd/protocol'
import { identityOf, stdinBytes } from '../call-input'
import type { ExecCall, TierExecutor } from '../executor'
import { isFsError } from '../fsx/index'
import { failure, failureFromThrown, type ResultIdentity } from '../result'
import { isSandboxAvailable, noteSandboxAnswered } from './availability'
import { type SandboxClient, type SandboxExecOutcome, type SandboxExecRequest, type SandboxRef, type WorkDirEntry } from './client'
import { forgetWorkDir, recallWorkDir, rememberWorkDir, workDirKey } from './known-work-dirs'
import { FabricError } from '../../../types/errors'
import { resultFromOutcome } from './outcome'
import { selectSandboxClient } from './select-client'
import { DEFAULT_SYNC_LIMITS, syncBack, syncIn } from './sync'

/** The sandbox of calls made for a tenant rather than one of its agents (agent ids never start with `_`). */
export const TENANT_SANDBOX_ID = '_tenant'

function invalid(message: string): FabricError {
  return new FabricError('INVALID_ARGUMENT', message)
}

/** An fsx path as a work-dir-relative one: `/data/x` → `data/x`, `/` → ''. */
export function workDirPath(fsxPath: string): string {
  const parts = fsxPath.split('/').filter((part) => part !== '' && part !== '.')
  if (parts.includes('..')) throw invalid(`cwd '${fsxPath}' contains '..'; give a path inside the fsx root`)
  return parts.join('/')
}

function commandOf(operation: string, args: unknown[]): Pick<SandboxExecRequest, 'argv' | 'command'> {
  const strings = args.map((arg, index) => {
    if (typeof arg === 'string' || typeof arg === 'number' || typeof arg === 'boolean') return String(arg)
    throw invalid(`argument ${index} of '${operation}' is ${arg === null ? 'null' : typeof arg}; tier 4 passes strings, numbers and booleans`)
  })
  if (operation !== 'sh') return { argv: [operation, ...strings] }
  // `sh` with one argument runs that line; with more it is plain `sh` (`sh -c 'line' name arg…`, `sh script.sh`).
  const [line] = strings
  if (strings.length === 1 && line) return { command: line }
  if (strings.length === 0 || line === '') throw invalid("operation 'sh' takes the command line as its first argument: sh ['echo hi']")
  return { argv: ['sh', ...strings] }
}

export function isolationOf(config: IsolationConfig | undefined): Isolation {
  const parsed = IsolationSchema.safeParse(
    config ? { level: config.level, memoryMb: config.memoryMb, cpuCores: config.cpuCores, networkEgress: config.networkEgress } : {},
  )
  if (!parsed.success) throw invalid(`invalid isolation config: ${parsed.error.message}`)
  return parsed.data
}

function withLimits(request: SandboxExecRequest, limits: RunLimits | undefined): SandboxExecRequest {
  return limits ? { ...request, limits } : request
}

/** The request without the tenant's run limits: syncAndRun adds them once read. */
export function buildSandboxRequest(call: ExecCall): SandboxExecRequest {
  const { options } = call
  return {
    ...commandOf(call.operation, call.args),
    cwd: workDirPath(options.cwd),
    env: options.env,
    timeoutMs: options.timeoutMs,
    ...(options.isolation ? { isolation: isolationOf(options.isolation) } : {}),
    ...(options.stdin !== undefined ? { stdin: stdinBytes(options.stdin) } : {}),
  }
}

/** Client and fsx errors both carry registry codes; anything else is a bug reported as INTERNAL. */
function failureFromError(identity: ResultIdentity, error: unknown, startedAt: number): ExecResult {
  if (error instanceof FabricError) {
    return failure(identity, error.code, error.message, startedAt, error.details ? { details: error.details } : {})
  }
  if (isFsError(error)) return failure(identity, error.code, error.message, startedAt)
  return failureFromThrown(identity, error, startedAt)
}

/**
 * Syncs fsx in (skipping the work dir's listing when the last run's manifest still holds) and runs.
 * The tenant's run limits are read meanwhile: neither waits for the other.
 */
async function syncAndRun(
  call: ExecCall,
  client: SandboxClient,
  ref: SandboxRef,
  withoutLimits: SandboxExecRequest,
  key: string,
): Promise<{ baseline: readonly WorkDirEntry[]; outcome: SandboxExecOutcome }> {
  const [limits, synced] = await Promise.all([call.options.runLimits?.(), syncIn(call.fs, client, ref, DEFAULT_SYNC_LIMITS, recallWorkDir(key))])
  const request = withLimits(withoutLimits, limits)
  if (synced.ifGeneration === undefined) return { baseline: synced.baseline, outcome: await client.exec(ref, request) }
  try {
    return { baseline: synced.baseline, outcome: await client.exec(ref, { ...request, ifGeneration: synced.ifGeneration }) }
  } catch (error) {
    if (!(error instanceof FabricError) || error.code !== 'WORKDIR_CHANGED') throw error
    // Something else changed the work dir since (nothing ran): sync it fully and run.
    // fsx is listed again, not reused: the generation moves with every run and file write, so the usual
    // cause is another call on this sandbox, whose sync-back writes the tenant's tree; the listing taken
    // before may lack files it wrote or name files it deleted.
    forgetWorkDir(key)
    const full = await syncIn(call.fs, client, ref, DEFAULT_SYNC_LIMITS)
    return { baseline: full.baseline, outcome: await client.exec(ref, request) }
  }
}

export const sandboxExecutor: TierExecutor = {
  tier: 4,
  handles: async () => true,
  isAvailable: (bindings) => isSandboxAvailable(bindings),

  async run(call: ExecCall): Promise<ExecResult> {
    const startedAt = performance.now()
    const { options } = call
    const identity = identityOf(call, 4)
    const selected = selectSandboxClient(call.bindings, options.traceparent)
    if (!selected.ok) return failure(identity, 'TIER_UNAVAILABLE', selected.reason, startedAt)
    const { client } = selected
    const ref: SandboxRef = { tenantId: options.tenantId, sandboxId: options.agentId ?? TENANT_SANDBOX_ID }
    try {
      // Built (and validated) before anything is synced.
      const request = buildSandboxRequest(call)
      const key = workDirKey(call.bindings.SANDBOX_URL ?? client.backend, ref)
      const { baseline, outcome } = await syncAndRun(call, client, ref, request, key)
      noteSandboxAnswered(call.bindings)
      forgetWorkDir(key)
      const sync = await syncBack(call.fs, client, ref, baseline, DEFAULT_SYNC_LIMITS, outcome.manifest)
      // Files copied back got fsx's mtimes in the work dir afterwards: the manifest no longer says how it is.
      if (outcome.manifest && outcome.generation && sync.written.length === 0) {
        rememberWorkDir(key, { generation: outcome.generation, manifest: outcome.manifest })
      }
      return resultFromOutcome(identity, outcome, sync, { startedAt, timeoutMs: request.timeoutMs })
    } catch (error) {
      return failureFromError(identity, error, startedAt)
    }
  },
}
