/**
 * The seam between the tier router and the tiers: one call, fully resolved.
 */
import type { ExecOptions, ExecResult, ExecutionTier, FileSystem } from '../../types/execution'
import type { Env } from '../env'

/** ExecOptions after defaults and ids are filled in by the factory. */
export interface ResolvedExecOptions extends ExecOptions {
  executionId: string
  traceparent: string
  traceId: string
  tenantId: string
  cwd: string
  env: Record<string, string>
  timeoutMs: number
}

export interface ExecCall {
  operation: string
  args: unknown[]
  options: ResolvedExecOptions
  /** fsx confined to the caller's tenant (and agent) root. */
  fs: FileSystem
  bindings: Env
  /**
   * Routes another command with this call's identity, trace and limits (set
   * by routeAndRun). Tier-1 utilities that run commands use it through their
   * context (`CommandContext.run`).
   */
  route?: (operation: string, args: string[], options: Partial<ResolvedExecOptions>) => Promise<ExecResult>
}

export interface TierExecutor {
  readonly tier: ExecutionTier
  /**
   * Whether this tier knows the operation by name (tier 4 knows everything).
   * `tenantId` is the caller's tenant: tier 3 knows only that tenant's modules.
   */
  handles(operation: string, bindings: Env, tenantId?: string): Promise<boolean>
  /** Whether the tier can run at all right now (binding present, service reachable). */
  isAvailable(bindings: Env): Promise<boolean>
  /** Never throws: failures come back as an ExecResult with an error code. */
  run(call: ExecCall): Promise<ExecResult>
}
