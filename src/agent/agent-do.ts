/**
 * AgentDO: one Durable Object per agent, named `${tenantId}:${agentId}`, with
 * SQLite storage. It owns the agent's lifecycle, its scheduler queue, its
 * budgets and its status stream; this class only receives calls (RPC, the
 * stream upgrade, the alarm, WebSocket events) and hands them to the modules
 * beside it. Caller-facing methods return RpcResult so FabricError codes
 * survive the RPC hop (see rpc-result.ts).
 */
import { DurableObject } from 'cloudflare:workers'
import type { ExecResult } from '../../types/execution'
import { ENDED_AGENT_STATES, type TaskHandle, type TaskStatus } from '../../types/fabric'
import { ExecRequestSchema } from '../core/exec-request'
import type { Env } from '../env'
import { FabricError } from '../../types/errors'
import { DEFAULT_TIMEOUT_MS } from '../execution/index'
import { admitTask, type Caller } from './admission'
import { agentInfo, type AgentInfo } from './agent-info'
import { createAgentPorts } from './agent-ports'
import type { AgentRecord } from './agent-store'
import { dueWork, nextWakeAt } from './alarm'
import { expireOverdueApprovals } from './approval-expiry'
import type { UsageReport } from './budget/account'
import { limitsFromConfig } from './budget/usage'
import { cancelTask, stopAllRunning } from './cancellation'
import { systemClock, type Clock } from './clock'
import { DEFAULT_AGENT_ID, defaultAgentConfig, parseAgentConfig } from './config'
import { addWatcher, applyDependencyOutcome, deliverOutcomes, hasUndeliveredOutcomes, isFinal } from './dependencies'
import { Dispatcher } from './dispatcher'
import type { HealthReport } from './heartbeat'
import { heartbeat, resume, spawn, suspend } from './lifecycle'
import { recordOutcome, stoppedOutcome } from './outcome'
import { resolveApproval, type ApprovalDecision, type ApprovalInfo } from './approval'
import { AgentCallSchemas, parseExecBatch, type TaskListQuery, type UsageInput } from './agent-calls'
import { capture, type RpcResult } from './rpc-result'
import { AgentRuntime } from './runtime'
import { TaskOriginSchema, type TaskOrigin } from '../core/origin'
import { admitBatch, admitEach } from './batch-submit'
import { AGENT_MIGRATIONS } from './schema'
import { applyMigrations } from '../core/storage-migrations'
import { taskInputOfExec, TaskInputSchema, type TaskInput } from './task-input'
import { execAnswer } from './timed-out-result'
import { toTaskView, type TaskRow, type TaskView } from './task-record'
import { warmSandbox } from './sandbox-warmup'
import { checkDrain, terminate, type TerminateOptions } from './termination'
import { recordUsage } from './usage-recording'
import { meterBindings } from '../telemetry/billable'
import { acceptCarriedMetrics, metrics } from '../telemetry/metrics/recorder'

export class AgentDO extends DurableObject<Env> {
  /** Where the agent reads the time; tests replace it to move time without sleeping. */
  clock: Clock = systemClock
  private readonly rt: AgentRuntime
  private readonly dispatcher: Dispatcher
  private alarmAt: number | undefined
  private delivering = false

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    applyMigrations(ctx.storage, AGENT_MIGRATIONS)
    // Billable units this agent spends (WAL flushes, policy reads, ledger calls …) count for its tenant from its spawn on.
    let tenantId: string | undefined
    const metered = meterBindings(env, () => (tenantId ??= this.rt.agent()?.tenantId), metrics(env))
    const scope = {
      owner: () => {
        const record = this.rt.agent()
        return record && { tenantId: record.tenantId, agentId: record.agentId }
      },
      beforeLoad: () => this.rt.directoryWritten(),
      kept: () => this.rt.outbound.walAppended(this.clock.now()),
    }
    this.rt = new AgentRuntime(ctx, metered, { now: () => this.clock.now() }, createAgentPorts(ctx, metered, scope))
    this.dispatcher = new Dispatcher(this.rt, () => this.kick())
    this.recoverOrphans()
  }

  // ── lifecycle ────────────────────────────────────────────────────────────

  spawn(caller: Caller, config: unknown): Promise<RpcResult<AgentInfo>> {
    return capture(async () => {
      const record = spawn(this.rt, caller.tenantId, parseAgentConfig(config))
      // An ended agent was not live, so it was not pushed to: what it read before is stale.
      this.rt.ports.governance.stateChanged()
      void warmSandbox(this.rt, record)
      this.kick()
      return this.answer(record)
    })
  }

  describe(caller: Caller): Promise<RpcResult<AgentInfo>> {
    return capture(() => agentInfo(this.rt, this.requireAgent(caller)))
  }

  suspend(caller: Caller, reason?: string): Promise<RpcResult<AgentInfo>> {
    return capture(() => {
      this.requireAgent(caller)
      const record = suspend(this.rt, reason ? `suspended: ${reason}` : 'suspended by caller')
      this.kick()
      return this.answer(record)
    })
  }

  resume(caller: Caller): Promise<RpcResult<AgentInfo>> {
    return capture(async () => {
      const record = this.requireAgent(caller)
      await this.rt.ports.governance.assertNotKilled({ tenantId: record.tenantId, agentId: record.agentId })
      const resumed = resume(this.rt)
      this.kick()
      return this.answer(resumed)
    })
  }

  terminate(caller: Caller, options: TerminateOptions): Promise<RpcResult<AgentInfo>> {
    return capture(() => {
      this.requireAgent(caller)
      const record = terminate(this.rt, this.dispatcher, AgentCallSchemas.terminate.parse(options))
      this.kick()
      return this.answer(record)
    })
  }

  heartbeat(caller: Caller): Promise<RpcResult<HealthReport>> {
    return capture(() => {
      this.requireAgent(caller)
      const health = heartbeat(this.rt)
      this.kick()
      return health
    })
  }

  // ── tasks ────────────────────────────────────────────────────────────────

  /** `origin` is set only by the runtime (intents, saga steps; src/core/origin.ts), never from a caller's body. */
  submitTask(caller: Caller, input: unknown, origin?: unknown): Promise<RpcResult<TaskHandle>> {
    return capture(() => this.submitOne(caller, TaskInputSchema.parse(input), origin === undefined ? undefined : TaskOriginSchema.parse(origin)))
  }

  /** Up to 1,000 tasks, each admitted exactly as submitTask would, in order, written in one transaction; one result per item (batch-submit.ts). */
  submitTasks(caller: Caller, inputs: unknown): Promise<RpcResult<RpcResult<TaskHandle>[]>> {
    return capture(async () => {
      const results = await admitBatch(this.rt, this.requireAgent(caller), caller, inputs, this.dispatchNow)
      this.kick()
      return results
    })
  }

  private async submitOne(caller: Caller, input: TaskInput, origin: TaskOrigin | undefined): Promise<TaskHandle> {
    const record = this.requireAgent(caller)
    const admitted = await admitTask(this.rt, record, caller, { kind: 'task', input, ...(origin ? { origin } : {}) }, this.dispatchNow)
    this.kick()
    const row = this.rt.queue.get(admitted.row.id) ?? admitted.row
    return { taskId: row.id, agentId: record.agentId, status: row.status, deduplicated: admitted.deduplicated }
  }

  /**
   * POST /v1/exec: queued like any task (same governance, budget, WAL and
   * accounting), answered when it ends. The tenant's `default` agent spawns
   * itself on first use (and again after it was ended). `carriedMetrics`: the caller's pending metric
   * deltas (src/telemetry/metrics/handoff.ts), taken first, before anything can fail.
   */
  exec(caller: Caller, request: unknown, carriedMetrics?: unknown): Promise<RpcResult<ExecResult>> {
    acceptCarriedMetrics(this.env, caller.tenantId, carriedMetrics)
    return capture(async () => {
      const parsed = ExecRequestSchema.parse(request)
      const record = await this.execTarget(caller, parsed.agentId ?? DEFAULT_AGENT_ID)
      const { row } = await admitTask(this.rt, record, caller, { kind: 'exec', input: taskInputOfExec(parsed, DEFAULT_TIMEOUT_MS) }, this.dispatchNow)
      this.kick()
      return this.execOutcome(row.id)
    })
  }

  /**
   * Several execs of one agent in one call (src/agent/exec-coalescer.ts), admitted together as a batch
   * submit is (batch-submit.ts: each exactly as if it came alone, written in one transaction), each answered
   * as `exec` would answer it, in order; the call answers when the last has ended.
   */
  execBatch(tenantId: string, items: unknown, carriedMetrics?: unknown): Promise<RpcResult<RpcResult<ExecResult>[]>> {
    acceptCarriedMetrics(this.env, tenantId, carriedMetrics)
    return capture(async () => {
      const { agentId, execs } = parseExecBatch(tenantId, items)
      const record = await this.execTarget(execs[0].caller, agentId)
      const entries = execs.map(({ caller, request }) => ({ caller, admission: { kind: 'exec' as const, input: taskInputOfExec(request, DEFAULT_TIMEOUT_MS) } }))
      const admitted = await admitEach(this.rt, record, entries, this.dispatchNow)
      this.kick()
      return Promise.all(
        admitted.map((outcome) =>
          capture(() => {
            if (outcome instanceof Error) throw outcome
            return this.execOutcome(outcome.row.id)
          }),
        ),
      )
    })
  }

  /** The agent an exec runs on, ready for it: the `default` agent spawned if needed; a stopped agent refuses. */
  private async execTarget(caller: Caller, agentId: string): Promise<AgentRecord> {
    const record = this.execAgent(caller, agentId)
    // A switch suspends the agents it covers: name the switch (403), not the suspension it caused.
    if (record.state !== 'RUNNING') await this.rt.ports.governance.assertNotKilled({ tenantId: record.tenantId, agentId: record.agentId })
    if (record.state !== 'RUNNING') {
      throw new FabricError('INVALID_STATE', `agent ${record.agentId} is ${record.state}; resume it, or queue a task with POST /v1/agents/:id/tasks`)
    }
    return record
  }

  /** An exec's answer once its task has ended; one parked for approval is APPROVAL_REQUIRED, naming the task. */
  private async execOutcome(taskId: string): Promise<ExecResult> {
    const final = await this.settled(taskId, undefined)
    if (final.status === 'awaiting_approval') {
      throw new FabricError('APPROVAL_REQUIRED', `policy requires an approval first; follow task ${final.id}`, {
        taskId: final.id,
        ...(final.approval_id ? { approvalId: final.approval_id } : {}),
      })
    }
    return execAnswer(final, () => this.view(final))
  }

  getTask(caller: Caller, taskId: string, waitSeconds?: number): Promise<RpcResult<TaskView>> {
    return capture(async () => {
      this.requireTask(caller, taskId)
      return this.view(await this.settled(taskId, waitSeconds === undefined ? 0 : waitSeconds * 1000))
    })
  }

  listTasks(caller: Caller, query: TaskListQuery): Promise<RpcResult<TaskView[]>> {
    return capture(() => {
      this.requireAgent(caller)
      const { status, limit } = AgentCallSchemas.taskList.parse(query)
      return this.rt.queue.list(status, limit).map((row) => this.view(row))
    })
  }

  cancelTask(caller: Caller, taskId: string): Promise<RpcResult<TaskView>> {
    return capture(() => {
      const row = cancelTask(this.rt, this.dispatcher, this.requireTask(caller, taskId), 'cancelled by caller')
      this.kick()
      return this.view(row)
    })
  }

  // ── budgets ──────────────────────────────────────────────────────────────

  recordUsage(caller: Caller, usage: UsageInput): Promise<RpcResult<UsageReport>> {
    return capture(() => {
      const record = this.requireAgent(caller)
      const report = recordUsage(this.rt, record, AgentCallSchemas.usage.parse(usage), caller.traceparent)
      this.kick()
      return report
    })
  }

  budgetReport(caller: Caller): Promise<RpcResult<UsageReport>> {
    return capture(() => this.rt.budget.report(this.rt.budgetSubject(this.requireAgent(caller))))
  }

  setBudget(caller: Caller, budget: unknown): Promise<RpcResult<UsageReport>> {
    return capture(() => {
      const record = this.requireAgent(caller)
      const config = { ...record.config, budget: AgentCallSchemas.budget.parse(budget) }
      const updated = this.rt.atomically(() => this.rt.store.update({ config, updatedAt: this.rt.clock.now() }))
      return this.rt.budget.report({ ...this.rt.budgetSubject(updated), limits: limitsFromConfig(config.budget) })
    })
  }

  // ── calls from governance and from other agents ──────────────────────────

  /** An approval was decided (src/governance/agent-signals.ts): the parked task runs, or fails. */
  async resolveApproval(taskId: string, decision: ApprovalDecision, info: ApprovalInfo): Promise<TaskView> {
    const row = resolveApproval(this.rt, taskId, decision, info)
    this.kick()
    return this.view(row)
  }

  /** The kill switch: aborts every running attempt and suspends the agent; returns how many were aborted. */
  async abortRunning(reason: string): Promise<number> {
    this.rt.ports.governance.stateChanged()
    if (!this.rt.agent()) return 0
    const aborted = stopAllRunning(this.rt, this.dispatcher, { code: 'KILL_SWITCH', message: `kill switch: ${reason}` })
    if (this.rt.store.require().state === 'RUNNING') suspend(this.rt, `kill switch: ${reason}`)
    this.kick()
    return aborted
  }

  /** Every kill switch covering this agent is lifted: an agent the kill switch suspended runs again; one suspended for another reason stays. */
  async killSwitchLifted(): Promise<boolean> {
    this.rt.ports.governance.stateChanged()
    const record = this.rt.agent()
    if (!record || record.state !== 'SUSPENDED' || !record.stateReason.startsWith('kill switch:')) return false
    resume(this.rt)
    this.kick()
    return true
  }

  /** A policy of this agent's tenant changed (src/governance/agent-signals.ts): the next decision reads the new set. */
  async governanceChanged(): Promise<void> {
    this.rt.ports.governance.stateChanged()
  }

  /** A tenant or user ledger ran out and withdrew the lease it gave this agent. */
  async recallLease(entity: string): Promise<void> {
    this.rt.budget.recall(entity)
  }

  /** Another agent waits for one of this agent's tasks. */
  async watchTask(tenantId: string, taskId: string, watcher: string): Promise<RpcResult<TaskStatus>> {
    return capture(() => {
      const status = this.rt.agent()?.tenantId === tenantId ? addWatcher(this.rt, taskId, watcher) : undefined
      if (status === undefined) throw new FabricError('VALIDATION_ERROR', `dependsOn names ${taskId}, which is not a task of this tenant`)
      return status
    })
  }

  /** A task this agent waits for (on another agent) ended. */
  async dependencyFinished(tenantId: string, taskId: string, status: TaskStatus): Promise<void> {
    if (this.rt.agent()?.tenantId !== tenantId) return
    applyDependencyOutcome(this.rt, taskId, status)
    this.kick()
  }

  // ── stream, alarm, sockets ───────────────────────────────────────────────

  /** The WebSocket upgrade, forwarded by the stream route after it authenticated the tenant. */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const record = this.rt.agent()
    if (!record || record.tenantId !== request.headers.get('x-fabric-tenant')) {
      return Response.json(new FabricError('NOT_FOUND', 'no such agent').toJSON(), { status: 404 })
    }
    const since = url.searchParams.get('since')
    return this.rt.stream.accept(record.agentId, since === null ? undefined : Number(since), request.headers.get('x-fabric-token-id') ?? '')
  }

  /** A WAL, audit or provenance reader is about to query D1: deliver this outbox first (read-your-writes); fails when D1 does. */
  flushOutbox(tenantId: string): Promise<RpcResult<number>> {
    return capture(async () => (this.rt.agent()?.tenantId === tenantId ? this.rt.ports.wal.flush() : 0))
  }

  /** A token of this tenant was revoked or rotated: its open status streams end now (whatever any auth cache still says). */
  async closeStreamsOf(tenantId: string, tokenId: string): Promise<number> {
    if (this.rt.agent()?.tenantId !== tenantId) return 0
    return this.rt.stream.closeToken(tokenId)
  }

  override async alarm(): Promise<void> {
    this.alarmAt = undefined
    dueWork(this.rt, this.dispatcher)
    await expireOverdueApprovals(this.rt)
    await this.rt.outbound.deliver(this.rt, this.rt.clock.now())
    this.kick()
  }

  override async webSocketMessage(socket: WebSocket): Promise<void> {
    socket.send(JSON.stringify({ type: 'stream.error', data: { message: 'this stream is read-only; send "ping" to get "pong"' } }))
  }

  override async webSocketClose(socket: WebSocket, code: number, reason: string): Promise<void> {
    try {
      socket.close(code, reason)
    } catch {
      // Already closed by the other side.
    }
  }

  // ── internals ────────────────────────────────────────────────────────────

  /** The agent as callers see it, once the D1 directory shows the same state. */
  private async answer(record: AgentRecord): Promise<AgentInfo> {
    await this.rt.directoryWritten()
    return agentInfo(this.rt, record)
  }

  private requireAgent(caller: Caller): AgentRecord {
    const record = this.rt.agent()
    if (!record || record.tenantId !== caller.tenantId) {
      throw new FabricError('NOT_FOUND', 'no such agent for this tenant; create it with POST /v1/agents')
    }
    return record
  }

  private execAgent(caller: Caller, agentId: string): AgentRecord {
    const record = this.rt.agent()
    const ended = !record || ENDED_AGENT_STATES.includes(record.state)
    if (agentId !== DEFAULT_AGENT_ID || !ended) return this.requireAgent(caller)
    const spawned = spawn(this.rt, caller.tenantId, defaultAgentConfig())
    this.rt.ports.governance.stateChanged()
    this.kick()
    return spawned
  }

  private requireTask(caller: Caller, taskId: string): TaskRow {
    const row = this.rt.agent()?.tenantId === caller.tenantId ? this.rt.queue.get(taskId) : undefined
    if (!row) throw new FabricError('NOT_FOUND', `no task ${taskId}; task ids come from POST /v1/agents/:id/tasks`)
    return row
  }

  private view(row: TaskRow): TaskView {
    return toTaskView(row, this.rt.store.require())
  }

  /**
   * The task once it has ended (or is parked for approval), or as it is after `timeoutMs`. No wait for D1:
   * its WAL events and audit are durable in the outbox, and a reader has this object flush first (flushOutbox).
   */
  private async settled(taskId: string, timeoutMs: number | undefined): Promise<TaskRow> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs
    for (;;) {
      const row = this.rt.queue.get(taskId)
      if (!row) throw new FabricError('NOT_FOUND', `no task ${taskId}`)
      const left = deadline === undefined ? undefined : deadline - Date.now()
      if (isFinal(row.status) || row.status === 'awaiting_approval') return row
      if (left !== undefined && left <= 0) return row
      await this.rt.waitForChange(taskId, left)
    }
  }

  /** Starts what is ready, inside the transaction that accepted it (admission.ts); the kick after it does the rest. */
  private readonly dispatchNow = (): void => this.dispatcher.pump()

  /** After any change: dispatch, finish a drain, deliver notifications, flush the WAL, re-arm the alarm. */
  private kick(): void {
    this.dispatcher.pump()
    checkDrain(this.rt, this.dispatcher)
    const record = this.rt.agent()
    const undelivered = record !== undefined && hasUndeliveredOutcomes(this.rt)
    if (record && !this.delivering && undelivered) {
      this.delivering = true
      this.ctx.waitUntil(deliverOutcomes(this.rt, record.tenantId).finally(() => (this.delivering = false)))
    }
    const at = nextWakeAt(this.rt, undelivered)
    if (at === this.alarmAt) return
    this.alarmAt = at
    this.ctx.waitUntil(at === undefined ? this.ctx.storage.deleteAlarm() : this.ctx.storage.setAlarm(at))
  }

  /** A `running` row with no attempt in this instance was cut off by an eviction or a crash. */
  private recoverOrphans(): void {
    if (!this.rt.agent()) return
    for (const row of this.rt.queue.withStatus(['running'])) {
      recordOutcome(this.rt, row.id, stoppedOutcome(this.rt, row, { code: 'INTERRUPTED', message: 'the agent restarted while the attempt ran' }))
    }
    this.kick()
  }
}
