/**
 * Admission: steps 1-6 of the governed path, in order, inside the agent's
 * Durable Object —
 *   1 kill switch (fail closed)         4 idempotency key → the earlier task
 *   2 policy decision, frozen           5 write-ahead: task + WAL events in one transaction
 *   3 budget check against an estimate  6 queue (depth, dependencies, approval)
 * Dispatch (7) follows at once when the agent has a free slot. Steps 1-4 are
 * `prepareTask`, per task; 5-6 are `acceptTasks` (accept.ts), one transaction
 * for one task or a whole batch (batch-submit.ts).
 */
import type { PolicyDecision, TaskStatus } from '../../types/fabric'
import { spillLargeInputs, type StoredExecRequest } from './spill'
import { assertWithinCeilings, type Ceilings } from './ceilings'
import { FabricError } from '../../types/errors'
import { actionsForExec } from '../governance/exec-actions'
import { tierAction } from '../core/policy-actions'
import { planExec, type RoutePlan } from '../execution/route-plan/index'
import { createExecutionContext, type ExecutionContext } from '../core/context'
import { originActions, originKind, type TaskOrigin } from '../core/origin'
import type { GovernedKind, GovernedRequest } from '../core/ports'
import { traceFrom } from '../core/trace'
import type { AgentRecord } from './agent-store'
import { publishCrossings } from './budget/alerts'
import { AGENT_TYPE_LIMITS } from './config'
import { prepareDependencies } from './dependencies'
import { assertAcceptsWork } from './lifecycle'
import type { AgentRuntime } from './runtime'
import { acceptTasks } from './accept'
import { execRequestOf, type TaskInput } from './task-input'
import { newExecutionId } from './task-ids'
import { finishTask } from './task-transitions'
import type { TaskRow } from './task-record'

export interface Caller {
  tenantId: string
  /** Id of the credential that authenticated the caller (never its value). */
  principal: string
  traceparent?: string
}

export interface Admission {
  kind: GovernedKind
  input: TaskInput
  /** Set by callers that already named the execution (POST /v1/exec). */
  executionId?: string
  /** Set when the runtime submits the task for an intent or a saga step (src/core/origin.ts). */
  origin?: TaskOrigin
}

export interface Admitted {
  row: TaskRow
  deduplicated: boolean
}

/**
 * What admission reads once however many tasks it admits together: the
 * tenant's ceilings (as the agent holds them), and per batch the route plan of each distinct request
 * and the budget verdict of each distinct estimate (the same question asked
 * of the same state gets the same answer, so one ask serves every item).
 */
export interface AdmissionReads {
  ceilings: Ceilings
  plans: Map<string, Promise<RoutePlan | undefined>>
  budgets: Map<string, Promise<void>>
}

export async function admissionReads(rt: AgentRuntime): Promise<AdmissionReads> {
  return { ceilings: await rt.ports.ceilings(), plans: new Map(), budgets: new Map() }
}

/** A task that passed steps 1-4 (kill switch, policy, budget, idempotency), ready to be written (accept.ts). */
export interface PreparedTask {
  input: TaskInput
  request: StoredExecRequest
  ctx: ExecutionContext
  governed: GovernedRequest
  decision: PolicyDecision
  /** The route admission planned, kept with the task (the run records it with the result). */
  plan: RoutePlan | undefined
  deadlineAt: number | undefined
  timeoutMs: number
  dependencies: Map<string, TaskStatus>
  origin: TaskOrigin | undefined
}

/**
 * `dispatch` runs inside the acceptance's transaction, after the write: a task that starts at once is written
 * ahead and marked running in one transaction, its WAL and stream events of both in one append.
 */
export async function admitTask(rt: AgentRuntime, record: AgentRecord, caller: Caller, admission: Admission, dispatch?: () => void): Promise<Admitted> {
  const prepared = await prepareTask(rt, record, caller, admission, await admissionReads(rt))
  if ('row' in prepared) return prepared
  const [accepted] = rt.atomically(() => {
    const results = acceptTasks(rt, [prepared])
    dispatch?.()
    return results
  })
  if (!accepted) throw new Error('admission accepted nothing')
  if (accepted instanceof Error) throw accepted
  return withApproval(rt, prepared, accepted)
}

/** Parks an accepted task that policy sent for approval; any other is returned as it is. */
export async function withApproval(rt: AgentRuntime, prepared: PreparedTask, admitted: Admitted): Promise<Admitted> {
  if (admitted.deduplicated || prepared.decision.effect !== 'require_approval') return admitted
  return { row: await requestApproval(rt, prepared.governed, prepared.decision, admitted.row), deduplicated: false }
}

/** Steps 1-4 for one task; the earlier task when its idempotency key was already used. */
export async function prepareTask(rt: AgentRuntime, record: AgentRecord, caller: Caller, admission: Admission, reads: AdmissionReads): Promise<PreparedTask | Admitted> {
  assertAcceptsWork(record)
  const { input } = admission
  const limits = AGENT_TYPE_LIMITS[record.config.type]
  const { ceilings } = reads
  // Unset, a task gets the longest its agent type and its tenant's ceiling both allow.
  const timeoutSeconds = input.timeoutSeconds ?? Math.min(limits.maxDurationSeconds, ceilings.durationSeconds)
  if (timeoutSeconds > limits.maxDurationSeconds) {
    throw new FabricError('VALIDATION_ERROR', `a ${record.config.type} agent's tasks may run at most ${limits.maxDurationSeconds}s`, {
      timeoutSeconds,
    })
  }
  const deadlineAt = input.deadline !== undefined ? Date.parse(input.deadline) : undefined
  assertWithinCeilings(ceilings, { durationSeconds: timeoutSeconds })
  const full = execRequestOf(input, Math.round(timeoutSeconds * 1000))
  // Policy sees every field; rows and the audit keep big ones as R2 references (src/agent/spill.ts).
  const request = await spillLargeInputs(rt.env.FILES, record.tenantId, full)
  const ctx = createExecutionContext({
    tenantId: record.tenantId,
    agentId: record.agentId,
    sessionId: record.sessionId,
    principal: caller.principal,
    trace: traceFrom(caller.traceparent),
    // An execution id that routes back here, so a WAL reader can have this object flush it first.
    executionId: admission.executionId ?? newExecutionId(rt.ctx.id.toString()),
  })

  // The route plan (nothing runs): its tiers are policy actions (`tier:<n>`), its estimate the budget's cost.
  const planKey = JSON.stringify(full)
  const planning = reads.plans.get(planKey) ?? planExec(rt.env, record.tenantId, full).catch(() => undefined)
  reads.plans.set(planKey, planning)
  const plan = await planning
  const plannedTiers = [...new Set(plan?.stages.map((stage) => tierAction(stage.tier)) ?? [])]

  // 1. kill switch and 2. policy: decide refuses on an active switch before it evaluates anything
  const governed: GovernedRequest = {
    ctx,
    kind: originKind(admission.origin, admission.kind),
    actions: [...new Set([...actionsForExec(full), ...plannedTiers]), ...originActions(admission.origin)],
    summary: { type: input.type ?? input.operation ?? 'command', ...request },
    subject: { policyIds: record.config.policies },
  }
  const decision = await rt.ports.governance.decide(governed)
  if (decision.effect === 'deny') {
    throw new FabricError('POLICY_DENIED', `policy denies ${decision.action}: ${decision.reason}`, { decisionId: decision.decisionId })
  }

  // 3. budget
  const estimate = { tokens: 0, computeSeconds: record.computeEstimateSeconds, costUsd: plan?.estimate.usd ?? 0 }
  const budgetKey = JSON.stringify(estimate)
  const budgeting =
    reads.budgets.get(budgetKey) ??
    rt.budget.admit(rt.budgetSubject(record), estimate).then(
      (crossings) => publishCrossings(rt, crossings),
      (error: unknown) => {
        throw plan ? withPlannedTier(error, plan) : error
      },
    )
  reads.budgets.set(budgetKey, budgeting)
  await budgeting

  // 4. idempotency (again inside the transaction: other requests run during the awaits)
  const earlier = input.idempotencyKey !== undefined ? rt.queue.byIdempotencyKey(input.idempotencyKey) : undefined
  if (earlier) return { row: earlier, deduplicated: true }
  const dependencies = await prepareDependencies(rt, record.tenantId, input.dependsOn)
  return { input, request, ctx, governed, decision, plan, deadlineAt, timeoutMs: Math.round(timeoutSeconds * 1000), dependencies, origin: admission.origin }
}

/** Parks the task with governance; if that fails, the task fails rather than waiting for an approval that never comes. */
async function requestApproval(rt: AgentRuntime, governed: GovernedRequest, decision: PolicyDecision, row: TaskRow): Promise<TaskRow> {
  const record = rt.store.require()
  try {
    const task = { agentId: record.agentId, taskId: row.id, requestedAt: rt.clock.now() }
    const ticket = await rt.ports.governance.requestApproval(governed, decision, task)
    return rt.atomically(() => {
      rt.walForTask(row, 'approval.requested', { taskId: row.id, approvalId: ticket.approvalId, expiresAt: ticket.expiresAt })
      // The alarm fails the task at this time (src/agent/approval-expiry.ts).
      return rt.queue.update(row.id, { approval_id: ticket.approvalId, approval_expires_at: Date.parse(ticket.expiresAt) })
    })
  } catch (error) {
    rt.atomically(() => finishTask(rt, row, 'failed', { error: { code: 'INTERNAL', message: 'the approval could not be requested; submit the task again' } }))
    throw error
  }
}

/** A cost refusal names the tier the plan needs and its estimate, so the caller knows what would have run. */
function withPlannedTier(error: unknown, plan: RoutePlan): unknown {
  if (!(error instanceof FabricError) || error.code !== 'BUDGET_EXCEEDED' || error.details?.dimension !== 'costUsd') return error
  const estimateUsd = plan.estimate.usd
  return new FabricError(
    'BUDGET_EXCEEDED',
    `tier ${plan.tier} is estimated at $${estimateUsd.toPrecision(3)} (${plan.why}), more than the budget has left: ${error.message}; nothing ran`,
    { ...error.details, tier: plan.tier, estimateUsd },
  )
}
