/**
 * What every part of the agent works with: its storage, clock, queue, event
 * stream, budgets, the governance and WAL ports, and the in-memory view of
 * what is running right now. One per AgentDO instance; rebuilt from SQLite
 * after an eviction.
 */
import type { ExecResult, TierSpendCheck } from '../../types/execution'
import type { IsolationConfig, WalEvent, WalEventType } from '../../types/fabric'
import type { ExecRequest } from '../core/exec-request'
import type { Ceilings } from './ceilings'
import type { Env } from '../env'
import type { FrozenDecision } from '../governance/fs-policy'
import type { ExecutionContext } from '../core/context'
import type { Governance, WalEventInput } from '../core/ports'
import type { DurableWriteAheadLog } from '../wal/write-ahead-log'
import { AgentTelemetry } from '../telemetry/agent-telemetry'
import type { AgentAlert } from '../telemetry/anomaly'
import { createLogger, parseLogLevel, type Logger } from '../telemetry/logger'
import { redact } from '../telemetry/redact'
import { newTrace } from '../core/trace'
import { AgentStore, type AgentRecord } from './agent-store'
import { AgentBudget, type BudgetSubject } from './budget/agent-budget'
import { limitsFromConfig } from './budget/usage'
import type { Clock } from './clock'
import { SessionHistory } from './lifecycle-state'
import { TaskQueue } from './queue'
import { Outbound } from './outbound'
import { EventLog, StatusStream, type AgentEventType } from './stream'
import { contextOf, walLinksOf, type TaskRow } from './task-record'

/** Runs one attempt of a task through the tier router; aborting the signal stops it. */
/** `spendCheck` prices a fallback to a dearer tier against the agent's remaining budget before it runs. */
export type RunWork = (
  ctx: ExecutionContext,
  request: ExecRequest,
  env: Env,
  signal: AbortSignal,
  decision?: FrozenDecision,
  spendCheck?: TierSpendCheck,
) => Promise<ExecResult>

/** Releases what an agent holds outside its object (its tier-4 sandbox) when it fails or ends. */
export type ReleaseResources = (tenantId: string, agentId: string) => Promise<void>

/** Makes the agent's tier-4 sandbox ahead of its first tier-4 task; resolves true when one was made. */
export type PrepareResources = (tenantId: string, agentId: string, isolation: IsolationConfig) => Promise<boolean>

export interface AgentPorts {
  governance: Governance
  /** The tenant's ceilings as the agent holds them (dropped with every governance push). */
  ceilings(): Promise<Ceilings>
  wal: DurableWriteAheadLog
  runWork: RunWork
  prepareResources: PrepareResources
  releaseResources: ReleaseResources
}

export interface RunningAttempt {
  attempt: number
  controller: AbortController
}

/** A WAL event (with its stream type when it also goes on the stream) or a stream event alone, waiting for its transaction's end. */
interface PendingEvent {
  wal?: Omit<WalEventInput, 'tenantId'>
  emit?: AgentEventType
  data: Record<string, unknown>
}

export class AgentRuntime {
  readonly sql: SqlStorage
  readonly store: AgentStore
  readonly history: SessionHistory
  readonly queue: TaskQueue
  readonly events: EventLog
  readonly stream: StatusStream
  readonly budget: AgentBudget
  readonly log: Logger
  /** Metrics and anomaly alerts derived from the events this agent emits (src/telemetry/agent-telemetry.ts). */
  readonly telemetry: AgentTelemetry
  /**
   * Whether other agents watch any of this agent's tasks: undefined until asked (after a wake-up too), false
   * once the watcher table was found empty, true from the next watcher on (src/agent/dependencies.ts). While
   * false, the check every kick makes for outcomes to deliver needs no SQL.
   */
  watched: boolean | undefined
  /**
   * Whether a task here waits for a dependency not yet ended: undefined until asked (after a wake-up too, or
   * after some were resolved), false once none was found, true from the next one recorded
   * (src/agent/dependencies.ts). While false, a finished task resolves its dependents with no SQL.
   */
  dependents: boolean | undefined
  /** Attempts running in this instance; a `running` row without an entry here was orphaned by an eviction. */
  readonly running = new Map<string, RunningAttempt>()
  private readonly waiters = new Map<string, Set<() => void>>()
  private committed: Array<() => void> = []
  private directoryWrite: Promise<void> = Promise.resolve()
  private inTransaction = false
  /** WAL and stream events of the surrounding transaction, in order; written together as it ends (flushEvents). */
  private pendingEvents: PendingEvent[] = []
  /** WAL rows and usage waiting to leave the object (delivered by the alarm). */
  readonly outbound: Outbound

  constructor(
    readonly ctx: DurableObjectState,
    readonly env: Env,
    readonly clock: Clock,
    readonly ports: AgentPorts,
  ) {
    this.sql = ctx.storage.sql
    this.store = new AgentStore(this.sql)
    this.history = new SessionHistory(this.sql)
    this.queue = new TaskQueue(this.sql)
    this.events = new EventLog(this.sql, clock)
    this.stream = new StatusStream(ctx, this.events)
    this.budget = new AgentBudget(this.sql, clock, env, ctx.id.toString())
    this.log = createLogger({}, { level: parseLogLevel(env.LOG_LEVEL) })
    this.telemetry = new AgentTelemetry(env, ctx)
    this.outbound = new Outbound()
  }

  /** The agent's row, or undefined before its first spawn. */
  agent(): AgentRecord | undefined {
    return this.store.load()
  }

  budgetSubject(record: AgentRecord): BudgetSubject {
    return {
      tenantId: record.tenantId,
      agentId: record.agentId,
      limits: limitsFromConfig(record.config.budget),
      ...(record.config.userId ? { userId: record.config.userId } : {}),
    }
  }

  /**
   * Runs `work` as one SQLite transaction. Events emitted inside are sent to
   * subscribers only after it commits, so nobody sees a change that rolled back.
   */
  atomically<T>(work: () => T): T {
    if (this.inTransaction) return work()
    this.inTransaction = true
    try {
      const result = this.ctx.storage.transactionSync(() => {
        const done = work()
        this.flushEvents()
        return done
      })
      this.inTransaction = false
      this.runCommitted()
      return result
    } catch (error) {
      this.inTransaction = false
      this.committed = []
      this.pendingEvents = []
      // What is held in memory of the rows (the agent's, its tasks', its budget's) may be what rolled back.
      this.store.invalidate()
      this.queue.forget()
      this.budget.forget()
      throw error
    }
  }

  /** Runs `effect` once the surrounding transaction has committed (at once outside one); dropped on rollback. */
  afterCommit(effect: () => void): void {
    this.committed.push(effect)
    if (!this.inTransaction) this.runCommitted()
  }

  /** Appends to the event log and broadcasts (after the surrounding transaction commits). */
  emit(type: AgentEventType, data: Record<string, unknown>): void {
    this.enqueue([{ emit: type, data }])
  }

  /**
   * Events join the surrounding transaction's list and are written when it ends, so a transaction that
   * finishes one slot-full and starts the next appends its WAL and stream events in one statement each,
   * not one per step; outside a transaction they are written at once. The order is the order of the calls.
   */
  private enqueue(entries: readonly PendingEvent[]): void {
    this.pendingEvents.push(...entries)
    if (!this.inTransaction) this.flushEvents()
  }

  /** Writes the pending events: the WAL ones in one append, then every stream one, with the WAL's redaction where it has one. */
  private flushEvents(): void {
    // An event's telemetry may raise an alert, which adds events: they go out in the next round.
    while (this.pendingEvents.length > 0) {
      const entries = this.pendingEvents
      this.pendingEvents = []
      const appended = this.appendWal(entries.flatMap((entry) => (entry.wal ? [entry.wal] : [])))
      let next = 0
      const stream = entries.flatMap((entry) => {
        const shown = entry.wal ? appended[next++]?.data : undefined
        return entry.emit ? [{ type: entry.emit, data: entry.data, shown: shown ?? redact(entry.data) }] : []
      })
      this.emitRedacted(stream)
    }
  }

  /** Stream events in one insert, each shown with its data already redacted (`shown`); telemetry reads the facts themselves. */
  private emitRedacted(list: ReadonlyArray<{ type: AgentEventType; data: Record<string, unknown>; shown: Record<string, unknown> }>): void {
    if (list.length === 0) return
    const record = this.store.require()
    const events = this.events.appendMany(record.agentId, list.map(({ type, shown }) => ({ type, data: shown })))
    this.afterCommit(() => {
      for (const event of events) this.stream.broadcast(event)
    })
    // Telemetry: the metrics each event means, and any anomaly alert it raises (FR-TEL-6).
    for (const { type, data } of list) {
      for (const alert of this.telemetry.onEvent(record.tenantId, record.agentId, type, data)) this.raiseAlert(record, alert)
    }
  }

  /** An anomaly alert: on the status stream and in the WAL, in the surrounding transaction. */
  private raiseAlert(record: AgentRecord, alert: AgentAlert): void {
    const facts = { kind: alert.kind, message: alert.message, ...alert.details }
    this.wal('alert.raised', record.sessionId, newTrace().traceId, facts)
    this.emit('alert.raised', facts)
  }

  /** Appends a WAL event for the agent into the outbox (durable with the caller's transaction). */
  wal(type: WalEventType, executionId: string, traceId: string, data: Record<string, unknown>, extra: Partial<WalEventInput> = {}): void {
    this.enqueue([{ wal: { executionId, type, traceId, data, ...extra }, data }])
  }

  /** A WAL event of a task's execution, under the task's trace and with its intent or saga links. */
  walForTask(row: TaskRow, type: WalEventType, data: Record<string, unknown>, extra: Partial<WalEventInput> = {}): void {
    this.walForTasks([{ row, type, data, extra }])
  }

  /**
   * WAL events of many tasks, in order, in a fixed number of statements (a batch of tasks, a slot-full
   * starting). An event with `emit` also goes on the status stream as that type, with the same facts as the
   * WAL redacted them (redacting a task's facts once for both), in the list's order.
   */
  walForTasks(list: ReadonlyArray<{ row: TaskRow; type: WalEventType; data: Record<string, unknown>; extra?: Partial<WalEventInput>; emit?: AgentEventType }>): void {
    this.enqueue(
      list.map(({ row, type, data, extra, emit }) => ({
        wal: { executionId: row.execution_id, type, traceId: contextOf(row).trace.traceId, data, ...walLinksOf(row), ...extra },
        data,
        ...(emit ? { emit } : {}),
      })),
    )
  }

  /** Appends events of this agent (its tenant, id and session filled in) into the outbox; answers them as appended (their data redacted). */
  private appendWal(events: ReadonlyArray<Omit<WalEventInput, 'tenantId'>>): WalEvent[] {
    if (events.length === 0) return []
    const { tenantId, agentId, sessionId } = this.store.require()
    const appended = this.ports.wal.appendMany(events.map((event) => ({ tenantId, agentId, sessionId, ...event })))
    this.outbound.walAppended(this.clock.now())
    return appended
  }

  /** Mirrors the agent's row into the D1 directory in the background (in order); see directoryWritten. */
  writeDirectory(write: () => Promise<void>): void {
    this.directoryWrite = this.directoryWrite.then(write).catch((error: unknown) =>
      this.log.warn('agent directory update failed', { error: String(error) }),
    )
    this.ctx.waitUntil(this.directoryWrite)
  }

  /** Resolves once the directory has every transition so far, so a listing right after a change shows it. */
  directoryWritten(): Promise<void> {
    return this.directoryWrite
  }

  /** Resolves when the task changes state (or after `timeoutMs`). */
  waitForChange(taskId: string, timeoutMs: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(taskId) ?? new Set()
      this.waiters.set(taskId, set)
      let timer: ReturnType<typeof setTimeout> | undefined
      const done = () => {
        if (timer) clearTimeout(timer)
        set.delete(done)
        if (set.size === 0) this.waiters.delete(taskId)
        resolve()
      }
      set.add(done)
      if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs)
    })
  }

  /** Wakes waitForChange callers once the surrounding transaction has committed. */
  notifyWaiters(taskId: string): void {
    this.afterCommit(() => {
      for (const wake of [...(this.waiters.get(taskId) ?? [])]) wake()
    })
  }

  private runCommitted(): void {
    const effects = this.committed
    this.committed = []
    for (const effect of effects) effect()
  }
}
