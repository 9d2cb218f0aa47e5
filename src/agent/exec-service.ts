/**
 * The single seam every exec passes through (HTTP `POST /v1/exec`, the RPC
 * entrypoint, and later tasks): context in, ExecResult out. Governance,
 * the write-ahead log and scheduling hang here, not in the transports.
 */
import type { ExecResult, FileSystem, RunLimits, TierSpendCheck } from '../../types/execution'
import type { ExecRequest, FsBackend } from '../core/exec-request'
import type { Env } from '../env'
import { createExecute } from '../execution/index'
import { runCommand } from '../execution/command'
import { createFileSystem, tenantRoot } from '../execution/fsx/index'
import { governedFileSystem, type FrozenDecision } from '../governance/fs-policy'
import type { CompiledPolicySet } from '../governance/policy-engine'
import type { ExecutionContext } from '../core/context'
import { restoreSpilledInputs, type StoredExecRequest } from './spill'
import { diskQuotaBytes, readCeilings, type Ceilings } from './ceilings'

export const DEFAULT_BACKEND: FsBackend = 'r2'

/** `ceilings` answers the tenant's ceilings (for the disk quota); by default they are read from KV at the first write. */
export function tenantFileSystem(
  bindings: Env,
  tenantId: string,
  backend: FsBackend = DEFAULT_BACKEND,
  ceilings: () => Promise<Ceilings> = () => readCeilings(bindings.KV, tenantId),
): FileSystem {
  return createFileSystem(backend, { root: tenantRoot(tenantId), bindings, quotaBytes: () => diskQuotaBytes(ceilings) })
}

/** The tenant's CPU-time and process ceilings, which every tier-4 run gets as its rlimits (no caller sets them). */
async function runLimits(ceilings: () => Promise<Ceilings>): Promise<RunLimits> {
  const { cpuSeconds, processes } = await ceilings()
  return { cpuSeconds, maxProcesses: processes }
}

/**
 * `signal` aborts the run (the agent's timeout, cancel and kill switch). Every
 * tier reaches files through `fs` (tier 1 directly, tier 3 through its fs
 * stub, tier 4 through the sync), so guarding it enforces `fs:` policy on the
 * paths actually touched; `decision` is the frozen acceptance-time decision;
 * `spendCheck` is asked before any fallback to a dearer tier; `policies` is
 * the caller's current policy set for those checks (else read from D1);
 * `ceilings` the tenant's ceilings the agent holds, for a tier-4 run's rlimits
 * and the disk quota (else read from KV).
 */
export async function runExec(
  ctx: ExecutionContext,
  stored: StoredExecRequest,
  bindings: Env,
  signal?: AbortSignal,
  decision?: FrozenDecision,
  spendCheck?: TierSpendCheck,
  policies?: () => Promise<CompiledPolicySet>,
  ceilings: () => Promise<Ceilings> = () => readCeilings(bindings.KV, ctx.tenantId),
): Promise<ExecResult> {
  const request = await restoreSpilledInputs(bindings.FILES, ctx.tenantId, stored)
  const fs = await governedFileSystem(tenantFileSystem(bindings, ctx.tenantId, request.backend, ceilings), bindings, ctx, decision, policies)
  const execute = createExecute({ bindings, fs, tenantId: ctx.tenantId })
  const options = {
    executionId: ctx.executionId,
    traceparent: ctx.trace.traceparent,
    tenantId: ctx.tenantId,
    ...(ctx.agentId ? { agentId: ctx.agentId } : {}),
    ...(request.tier ? { tier: request.tier } : {}),
    ...(request.cwd ? { cwd: request.cwd } : {}),
    ...(request.env ? { env: request.env } : {}),
    ...(request.stdin !== undefined ? { stdin: request.stdin } : {}),
    ...(request.timeoutMs ? { timeoutMs: request.timeoutMs } : {}),
    ...(signal ? { signal } : {}),
    runLimits: () => runLimits(ceilings),
    ...(spendCheck ? { spendCheck } : {}),
  }
  return request.command !== undefined ? runCommand(request.command, { execute, fs, options, bindings }) : execute(request.operation ?? '', request.args ?? [], options)
}
