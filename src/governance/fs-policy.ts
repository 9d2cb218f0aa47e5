/**
 * Run-time `fs:` enforcement: the tenant's compiled policy set, loaded once
 * per execution (one version read, usually no recompile), turned into the
 * access check guarded-fs.ts asks before every file access — a map lookup or
 * a microsecond scan of the precedence-sorted rules, with the same subject,
 * precedence and default as the acceptance-time decision.
 *
 * `require_approval` cannot be asked mid-run, so at run time it refuses —
 * unless the action was one the execution was accepted for (the frozen
 * decision's actions): those were allowed or approved before the run began.
 */
import type { FileSystem } from '../../types/execution'
import type { PolicyDecision } from '../../types/fabric'
import type { Env } from '../env'
import { FsError } from '../execution/fsx/errors'
import type { ExecutionContext } from '../core/context'
import type { GovernedKind, GovernedRequest } from '../core/ports'
import { fsReadAction, fsWriteAction } from '../core/policy-actions'
import { deploymentDefaultEffect, subjectOf } from './governance'
import { guardFileSystem, type FsAccess, type FsAccessPolicy } from './guarded-fs'
import type { CompiledPolicySet, PolicySubject } from './policy-engine'
import { PolicyStore } from './policy-store'

/** What the acceptance-time decision was made for; frozen with it in the task row. */
export interface DecidedFor {
  kind: GovernedKind
  actions: string[]
  subject?: GovernedRequest['subject']
}

/** The decision as a task row stores it: the decision plus what it was made for. */
export type FrozenDecision = PolicyDecision & { decidedFor?: DecidedFor }

export function freezeDecision(decision: PolicyDecision, request: GovernedRequest): FrozenDecision {
  return { ...decision, decidedFor: { kind: request.kind, actions: request.actions, ...(request.subject ? { subject: request.subject } : {}) } }
}

export function fsAccessPolicy(set: CompiledPolicySet, subject: PolicySubject, accepted: readonly string[] = []): FsAccessPolicy {
  const acceptedActions = new Set(accepted)
  const refusals = new Map<string, FsError | null>()
  return (access: FsAccess, path: string) => {
    const action = access === 'read' ? fsReadAction(path) : fsWriteAction(path)
    let refused = refusals.get(action)
    if (refused === undefined) {
      const { deciding } = set.evaluate([action], subject)
      const allowed = deciding.effect === 'allow' || (deciding.effect === 'require_approval' && acceptedActions.has(action))
      refused = allowed ? null : new FsError('EACCES', path, { hint: `policy ${deciding.effect === 'deny' ? 'denies' : 'needs an approval for'} ${action} at run time: ${deciding.reason}` })
      refusals.set(action, refused)
    }
    return refused ?? undefined
  }
}

/**
 * The fs an execution runs over: every access checked against the policy set current when the attempt starts —
 * `policies` when the caller holds it (an agent's pushed set, no D1 read), else read from D1.
 */
export async function governedFileSystem(
  fs: FileSystem,
  bindings: Pick<Env, 'DB' | 'POLICY_DEFAULT_EFFECT'>,
  ctx: ExecutionContext,
  frozen?: FrozenDecision,
  policies?: () => Promise<CompiledPolicySet>,
): Promise<FileSystem> {
  const set = policies ? await policies() : await new PolicyStore(bindings.DB, deploymentDefaultEffect(bindings)).current(ctx.tenantId)
  const decidedFor = frozen?.decidedFor
  const subject = subjectOf({ ctx, kind: decidedFor?.kind ?? 'exec', actions: [], summary: {}, ...(decidedFor?.subject ? { subject: decidedFor.subject } : {}) })
  return guardFileSystem(fs, fsAccessPolicy(set, subject, decidedFor?.actions))
}

/**
 * The tenant's files as a caller outside any execution sees them (`/v1/fs`,
 * the RPC file methods): the same `fs:read:`/`fs:write:` rules apply, decided
 * for the caller's token as an `exec` with no agent (so `kinds`/`agentIds`
 * conditions naming others do not match). Nothing was accepted beforehand, so
 * `require_approval` refuses.
 */
export async function callerFileSystem(
  fs: FileSystem,
  bindings: Pick<Env, 'DB' | 'POLICY_DEFAULT_EFFECT'>,
  caller: { tenantId: string; tokenId: string },
): Promise<FileSystem> {
  const set = await new PolicyStore(bindings.DB, deploymentDefaultEffect(bindings)).current(caller.tenantId)
  const subject: PolicySubject = { tenantId: caller.tenantId, kind: 'exec', principal: caller.tokenId, roles: [], attachedPolicyIds: [] }
  return guardFileSystem(fs, fsAccessPolicy(set, subject))
}
