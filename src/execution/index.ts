/**
 * The execution factory: `execute(operation, args, options)` resolves ids,
 * trace and defaults, then hands the call to the tier router. Command lines
 * are parsed into pipelines whose stages are each routed the same way.
 */
import type { ExecOptions, ExecResult, FileSystem } from '../../types/execution'
import type { Env } from '../env'
import { newId } from '../core/ids'
import { childSpan, traceFrom } from '../core/trace'
import type { ExecCall, ResolvedExecOptions } from './executor'
import { DEFAULT_TIERS } from './tier-table'
import { routeAndRun, type TierTable } from './tiers'

export const DEFAULT_TIMEOUT_MS = 30_000

export interface ExecuteDeps {
  bindings: Env
  /** fsx confined to the caller's tenant root. */
  fs: FileSystem
  tenantId: string
  tiers?: TierTable
}

export type Execute = (operation: string, args: unknown[], options?: ExecOptions) => Promise<ExecResult>

export function resolveOptions(options: ExecOptions, tenantId: string): ResolvedExecOptions {
  const trace = childSpan(traceFrom(options.traceparent))
  return {
    ...options,
    tenantId: options.tenantId ?? tenantId,
    executionId: options.executionId ?? newId('exe'),
    traceparent: trace.traceparent,
    traceId: trace.traceId,
    cwd: options.cwd ?? '/',
    env: options.env ?? {},
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  }
}

export function createExecute(deps: ExecuteDeps): Execute {
  const tiers = deps.tiers ?? DEFAULT_TIERS
  return (operation, args, options = {}) => {
    const call: ExecCall = {
      operation,
      args,
      options: resolveOptions(options, deps.tenantId),
      fs: deps.fs,
      bindings: deps.bindings,
    }
    return routeAndRun(call, tiers)
  }
}
