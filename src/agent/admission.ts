/**
 * Admission: steps 1-6 of the governed path, in order, inside the agent's
 * Durable Object —
 *   1 kill switch (fail closed)         4 idempotency key → the earlier task
 *   2 policy decision, frozen           5 write-ahead: task + WAL events in one transaction
 *   3 budget check against an estimate  6 queue (depth, dependencies, approval)
 * Dispatch (7) follows at once when the agent has a free slot.
 */
import type { PolicyDecision } from '../../types/fabric'
import { spillLargeInputs } from './spill'
import { assertWithinCeilings } from './ceilings'
import { FabricError } from '../../types/errors'
import { actionsForExec } from '../governance/exec-actions'
import { tierAction } from '../core/policy-actions'
import { planExec, routeRecord, type RoutePlan } from '../execution/route-plan/index'
import { freezeDecision } from '../governance/fs-policy'
import { createExecutionContext, type ExecutionContext } from '../core/context'
import { openingEvents, originActions, originKind, originLinks, type TaskOrigin } from '../core/origin'
import type { GovernedKind, GovernedRequest, WalEventInput } from '../core/ports'
import { traceFrom } from '../core/trace'
import type { AgentRecord } from './agent-store'
import { publishCrossings } from './budget/alerts'
import { AGENT_TYPE_LIMITS } from './config'
import { prepareDependencies, recordDependencies } from './dependencies'
import { assertAcceptsWork } from './lifecycle'
import type { AgentRuntime } from './runtime'
import { execRequestOf, type TaskInput } from './task-input'
import { newExecutionId, newTaskId } from './task-ids'
import { finishTask } from './task-transitions'
import { priorityRank, type TaskRow } from './task-record'

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

export async function admitTask(rt: AgentRuntime, record: AgentRecord, caller: Caller, admission: Admission): Promise<Admitted> {
  assertAcceptsWork(record)
  const { input } = admission
  const limits = AGENT_TYPE_LIMITS[record.config.type]
  const ceilings = await rt.ports.ceilings()
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
  const plan = await planExec(rt.env, record.tenantId, full).catch(() => undefined)
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
  const costUsd = plan?.estimate.usd ?? 0
  const estimate = { tokens: 0, computeSeconds: record.computeEstimateSeconds, costUsd }
  publishCrossings(rt, await rt.budget.admit(rt.budgetSubject(record), estimate).catch((error: unknown) => {
    throw plan ? withPlannedTier(error, plan) : error
  }))

  // 4. idempotency (again inside the transaction: other requests run during the awaits)
  const earlier = input.idempotencyKey !== undefined ? rt.queue.byIdempotencyKey(input.idempotencyKey) : undefined
  if (earlier) return { row: earlier, deduplicated: true }
  const dependencies = await prepareDependencies(rt, record.tenantId, input.dependsOn)

  // 5. write-ahead and 6. queue, atomically
  const admitted = rt.atomically((): Admitted => {
    const duplicate = input.idempotencyKey !== undefined ? rt.queue.byIdempotencyKey(input.idempotencyKey) : undefined
    if (duplicate) return { row: duplicate, deduplicated: true }
    const current = rt.store.require()
    assertAcceptsWork(current)
    if (rt.queue.waitingCount() >= current.config.maxQueueDepth) {
      throw new FabricError('QUEUE_FULL', `agent ${current.agentId} already has ${current.config.maxQueueDepth} queued tasks; retry later`, {
        maxQueueDepth: current.config.maxQueueDepth,
      })
    }
    const links = { ...(input.intentId ? { correlationId: input.intentId } : {}), ...originLinks(admission.origin) }
    const row = enqueue(rt, ctx, freezeDecision(decision, governed), { input, request, plan, deadlineAt, links, timeoutMs: Math.round(timeoutSeconds * 1000) })
    const unmet = recordDependencies(rt, row.id, dependencies)
    const status = decision.effect === 'require_approval' ? 'awaiting_approval' : unmet > 0 ? 'blocked' : 'pending'
    const queued = status === 'pending' ? row : rt.queue.update(row.id, { status })
    const facts = { taskId: row.id, type: row.type, priority: input.priority, status, dependsOn: input.dependsOn }
    rt.walForTaskAll(row, [
      ...openingEvents(admission.origin),
      { type: 'policy.decided', data: { taskId: row.id, decisionId: decision.decisionId, effect: decision.effect } },
      { type: 'task.scheduled', data: facts },
    ])
    rt.emit(status === 'pending' ? 'task.queued' : status === 'blocked' ? 'task.blocked' : 'task.awaiting_approval', facts)
    return { row: queued, deduplicated: false }
  })

  if (!admitted.deduplicated && decision.effect === 'require_approval') {
    return { row: await requestApproval(rt, governed, decision, admitted.row), deduplicated: false }
  }
  return admitted
}

function enqueue(
  rt: AgentRuntime,
  ctx: ExecutionContext,
  decision: PolicyDecision,
  task: {
    input: TaskInput
    request: ReturnType<typeof execRequestOf>
    plan: RoutePlan | undefined
    deadlineAt: number | undefined
    timeoutMs: number
    links: Partial<WalEventInput>
  },
): TaskRow {
  const { input } = task
  return rt.queue.insert({
    id: newTaskId(rt.ctx.id.toString()),
    execution_id: ctx.executionId,
    type: input.type ?? input.operation ?? 'command',
    request: JSON.stringify(task.request),
    payload: JSON.stringify(input.payload ?? {}),
    metadata: JSON.stringify(input.metadata ?? {}),
    priority: priorityRank(input.priority),
    status: 'pending',
    depends_on: JSON.stringify(input.dependsOn),
    timeout_ms: task.timeoutMs,
    deadline_at: task.deadlineAt ?? null,
    retry: input.retry ? JSON.stringify(input.retry) : null,
    idempotency_key: input.idempotencyKey ?? null,
    intent_id: input.intentId ?? null,
    context: JSON.stringify(ctx),
    decision: JSON.stringify(decision),
    route: task.plan ? JSON.stringify(routeRecord(task.plan)) : null,
    wal_links: JSON.stringify(task.links),
    created_at: rt.clock.now(),
  })
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
