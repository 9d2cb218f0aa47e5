/**
 * One Durable Object per saga (named `${tenantId}:${sagaId}`).
 *
 * Why its own object rather than rows in an agent's object: a saga's steps
 * run as tasks on an agent, and its progress must survive the eviction or
 * crash of that agent and of itself; its state machine must advance one
 * transition at a time. A dedicated object gives it serial execution, its own
 * alarm to drive and recover progress, and its own SQLite for the journal and
 * the write-ahead outbox.
 *
 * Recovery: the state is the fold of the journal; the alarm (re-armed while
 * the saga is running or compensating) resumes the loop after any crash. A
 * step is journalled as dispatched only after its task exists, and its task
 * carries the idempotency key `saga:<id>:<step>:<phase>:<attempt>`, so a
 * dispatch cut short by a crash is repeated with the same key and the agent
 * returns the task it already has — no step runs twice.
 */
import { DurableObject } from 'cloudflare:workers'
import { capture, type RpcResult } from '../../agent/rpc-result'
import { applyMigrations } from '../../core/storage-migrations'
import type { Env } from '../../env'
import { FabricError } from '../../../types/errors'
import { createWriteAheadLog, type DurableWriteAheadLog } from '../../wal/write-ahead-log'
import { awaitTask, outcomeOf, submitToAgent, type RuntimeCaller } from '../agent-client'
import { SAGA_MIGRATIONS, SagaJournal } from './saga-journal'
import type { SagaState, SagaStep } from './saga-model'
import { assertCompensable, assertRetriable, nextAction, type SagaAction } from './saga-plan'

/** How long one wait on a step's task lasts, and how soon the alarm re-checks a saga that is still moving. */
const STEP_WAIT_SECONDS = 25
const WATCHDOG_MS = 30_000
/** Refusals that may pass (a full queue, a suspended agent, a fault): the alarm dispatches again later. */
const TRANSIENT_CODES = new Set(['QUEUE_FULL', 'INVALID_STATE', 'INTERNAL', 'RESOURCE_EXHAUSTED'])

export interface SagaStart {
  sagaId: string
  caller: RuntimeCaller
  agentId: string
  onFailure: 'compensate' | 'pause'
  steps: SagaStep[]
}

export type SagaView = Omit<SagaState, 'principal' | 'traceparent' | 'definition'>

function view({ principal: _p, traceparent: _t, definition: _d, ...rest }: SagaState): SagaView {
  return rest
}

export class SagaDO extends DurableObject<Env> {
  protected readonly wal: DurableWriteAheadLog
  private readonly journal: SagaJournal
  private running: Promise<void> | undefined
  private rerun = false

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    applyMigrations(ctx.storage, SAGA_MIGRATIONS)
    this.wal = createWriteAheadLog(ctx.storage.sql, env.DB)
    this.journal = new SagaJournal(ctx.storage, this.wal)
  }

  /** Starts the saga, or returns it as it is when this id already started (idempotency). */
  start(input: SagaStart, waitSeconds: number): Promise<RpcResult<{ saga: SagaView; deduplicated: boolean }>> {
    return capture(async () => {
      const existing = this.journal.state()
      if (existing) return { saga: view(this.owned(existing, input.caller.tenantId)), deduplicated: true }
      this.journal.record({
        event: 'saga.started',
        sagaId: input.sagaId,
        tenantId: input.caller.tenantId,
        agentId: input.agentId,
        principal: input.caller.principal,
        traceparent: input.caller.traceparent ?? '',
        onFailure: input.onFailure,
        steps: input.steps,
      })
      await this.settle(waitSeconds)
      return { saga: view(this.require(input.caller.tenantId)), deduplicated: false }
    })
  }

  status(tenantId: string, waitSeconds: number): Promise<RpcResult<SagaView>> {
    return capture(async () => {
      this.require(tenantId)
      await this.settle(waitSeconds)
      return view(this.require(tenantId))
    })
  }

  /** Runs the failed step again (a saga paused on a failure). */
  retry(tenantId: string, waitSeconds: number): Promise<RpcResult<SagaView>> {
    return this.transition(tenantId, waitSeconds, assertRetriable, 'running', 'retry requested')
  }

  /** Undoes the completed steps in reverse order (a completed saga, or a failed one). */
  compensate(tenantId: string, waitSeconds: number): Promise<RpcResult<SagaView>> {
    return this.transition(tenantId, waitSeconds, assertCompensable, 'compensating', 'compensation requested by hand')
  }

  override async alarm(): Promise<void> {
    await this.kick()
  }

  private transition(
    tenantId: string,
    waitSeconds: number,
    check: (state: SagaState) => void,
    to: 'running' | 'compensating',
    reason: string,
  ): Promise<RpcResult<SagaView>> {
    return capture(async () => {
      const state = this.require(tenantId)
      check(state)
      this.journal.record({ event: 'saga.status', from: state.status, to, reason })
      await this.settle(waitSeconds)
      return view(this.require(tenantId))
    })
  }

  private require(tenantId: string): SagaState {
    const state = this.journal.state()
    if (!state) throw new FabricError('NOT_FOUND', 'no such saga; saga ids come from POST /v1/sagas')
    return this.owned(state, tenantId)
  }

  private owned(state: SagaState, tenantId: string): SagaState {
    if (state.tenantId !== tenantId) throw new FabricError('NOT_FOUND', 'no such saga; saga ids come from POST /v1/sagas')
    return state
  }

  /** Drives the saga, answering after it stops moving or after `waitSeconds`, whichever is first. */
  private async settle(waitSeconds: number): Promise<void> {
    const loop = this.kick()
    if (waitSeconds <= 0) return
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([loop, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitSeconds * 1000)))])
    clearTimeout(timer)
  }

  /** One loop at a time; a kick during a loop makes it look again before it stops. */
  private kick(): Promise<void> {
    if (this.running) {
      this.rerun = true
      return this.running
    }
    // A failed loop leaves the watchdog alarm armed, which tries again; callers only see the saga's state.
    this.running = this.loop()
      .catch((error: unknown) => console.warn(JSON.stringify({ level: 'warn', msg: 'saga loop stopped; the alarm resumes it', error: String(error) })))
      .finally(() => (this.running = undefined))
    return this.running
  }

  private async loop(): Promise<void> {
    await this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS)
    try {
      for (;;) {
        this.rerun = false
        const state = this.journal.state()
        const moved = state ? await this.act(state, nextAction(state)) : false
        if (!moved && !this.rerun) break
      }
    } finally {
      await this.wal.flush().catch(() => undefined)
      const state = this.journal.state()
      const moving = state?.status === 'running' || state?.status === 'compensating'
      if (moving || this.wal.pending() > 0) await this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS)
      else await this.ctx.storage.deleteAlarm()
    }
  }

  /** Performs one action; true when the saga moved (so the loop looks again at once). */
  private async act(state: SagaState, action: SagaAction): Promise<boolean> {
    const caller: RuntimeCaller = { tenantId: state.tenantId, principal: state.principal, ...(state.traceparent ? { traceparent: state.traceparent } : {}) }
    switch (action.kind) {
      case 'idle':
        return false
      case 'transition':
        this.journal.record({ event: 'saga.status', from: state.status, to: action.to, reason: action.reason })
        return true
      case 'skip_compensation':
        this.journal.record({ event: 'step.succeeded', step: action.step, phase: 'compensate', skipped: true })
        return true
      case 'dispatch':
        return this.dispatch(state, caller, action)
      case 'await': {
        const outcome = outcomeOf(await awaitTask(this.env, caller, state.agentId, action.taskId, STEP_WAIT_SECONDS))
        if (!outcome.done) return false
        if (outcome.ok) {
          this.journal.record({ event: 'step.succeeded', step: action.step, phase: action.phase, taskId: action.taskId, exitCode: outcome.exitCode, stdout: outcome.stdout })
        } else {
          this.journal.record({ event: 'step.failed', step: action.step, phase: action.phase, taskId: action.taskId, error: outcome.error })
        }
        return true
      }
    }
  }

  private async dispatch(state: SagaState, caller: RuntimeCaller, action: Extract<SagaAction, { kind: 'dispatch' }>): Promise<boolean> {
    const { definition } = action
    const input = {
      type: 'saga_step',
      ...action.work,
      idempotencyKey: `saga:${state.sagaId}:${action.step}:${action.phase}:${action.attempt}`,
      metadata: { sagaId: state.sagaId, step: String(action.step), phase: action.phase },
      ...(action.phase === 'forward' && definition.retry ? { retry: definition.retry } : {}),
      ...(action.phase === 'forward' && definition.timeoutSeconds ? { timeoutSeconds: definition.timeoutSeconds } : {}),
    }
    const origin = { kind: 'saga_step' as const, sagaId: state.sagaId, step: action.step, phase: action.phase }
    try {
      const handle = await submitToAgent(this.env, caller, state.agentId, input, origin)
      const task = await awaitTask(this.env, caller, state.agentId, handle.taskId, 0)
      this.journal.record({ event: 'step.dispatched', step: action.step, phase: action.phase, attempt: action.attempt, taskId: handle.taskId, executionId: task.executionId })
      return true
    } catch (error) {
      if (!(error instanceof FabricError) || TRANSIENT_CODES.has(error.code)) throw error
      this.journal.record({ event: 'step.failed', step: action.step, phase: action.phase, error: { code: error.code, message: error.message } })
      return true
    }
  }
}
