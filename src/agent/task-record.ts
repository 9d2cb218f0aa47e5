/**
 * A task as stored in the agent's SQLite, and the view callers get back.
 * The frozen execution context and policy decision travel with the row, so a
 * retry after an eviction runs under the same identity, trace and decision.
 */
import { RecentValues } from '../core/recent-values'
import type { StoredExecRequest } from './spill'
import type { ExecResult, RouteRecord } from '../../types/execution'
import { PRIORITIES, type Priority, type TaskStatus } from '../../types/fabric'
import type { RetryPolicy } from '../core/retry-policy'
import type { ExecRequest } from '../core/exec-request'
import type { FrozenDecision } from '../governance/fs-policy'
import type { ExecutionContext } from '../core/context'
import type { WalEventInput } from '../core/ports'
import { redact } from '../telemetry/redact'
import { parseTaskColumn } from './task-columns'

/** Accepted, not yet running and not finished: what counts against maxQueueDepth. */
export const WAITING_STATUSES: readonly TaskStatus[] = ['pending', 'blocked', 'retry_wait', 'awaiting_approval']

export interface TaskRow {
  seq: number
  id: string
  execution_id: string
  type: string
  request: string
  payload: string
  metadata: string
  priority: number
  status: TaskStatus
  depends_on: string
  timeout_ms: number
  deadline_at: number | null
  retry: string | null
  idempotency_key: string | null
  intent_id: string | null
  context: string
  decision: string | null
  /** The route plan admission made (RouteRecord JSON); null for a line that did not parse, or a row from before the column. */
  route: string | null
  wal_links: string
  approval_id: string | null
  /** Epoch ms when the approval a parked task waits for expires. */
  approval_expires_at: number | null
  attempts: number
  created_at: number
  ready_at: number
  started_at: number | null
  finished_at: number | null
  next_attempt_at: number | null
  result: string | null
  error: string | null
  [key: string]: SqlStorageValue
}

export interface TaskError {
  code: string
  message: string
}

/** What a task asks to run: an operation with args, or a command line. */
export type TaskWork = { kind: 'operation'; operation: string; args: unknown[] } | { kind: 'command'; command: string }

/** A task, as GET /v1/tasks/:id and the list endpoints return it. */
export interface TaskView {
  id: string
  /** The execution the task runs as: its WAL events, policy decision and replay are keyed by it. */
  executionId: string
  agentId: string
  tenantId: string
  type: string
  work: TaskWork
  payload: Record<string, unknown>
  priority: Priority
  status: TaskStatus
  dependsOn: string[]
  timeoutSeconds?: number
  deadline?: string
  retry?: RetryPolicy
  idempotencyKey?: string
  intentId?: string
  attempts: number
  maxAttempts: number
  createdAt: string
  startedAt?: string
  finishedAt?: string
  result?: ExecResult
  /** Why a task failed or was cancelled when no ExecResult says it (deadline, dependency, cancel before start). */
  error?: TaskError
  metadata: Record<string, string>
  approvalId?: string
  nextAttemptAt?: string
  /** Inputs too big for the row, as data references (src/agent/spill.ts); `work.args` is then empty. */
  spilledInputs?: StoredExecRequest['spilled']
}

export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority)
}

export function priorityOfRank(rank: number): Priority {
  return PRIORITIES[rank] ?? 'normal'
}

/** The stored request: fields over the spill threshold are data references (src/agent/spill.ts). */
export function requestOf(row: TaskRow): StoredExecRequest {
  return parseTaskColumn('request', row.request, row.id)
}

/**
 * Every WAL event of a task needs its context and links: the last few parsed, by their stored text, so a
 * task's state changes validate the same JSON once. Frozen (the trace too), so sharing them is safe.
 */
const parsedContexts = new RecentValues<ExecutionContext>(64)
const parsedLinks = new RecentValues<Readonly<Partial<WalEventInput>>>(64)

export function contextOf(row: TaskRow): ExecutionContext {
  return parsedContexts.remember(row.context, () => {
    const context = parseTaskColumn('context', row.context, row.id)
    return Object.freeze({ ...context, trace: Object.freeze(context.trace) })
  })
}

/** What every WAL event of the task's execution carries besides its own data (intent and saga links). */
export function walLinksOf(row: TaskRow): Readonly<Partial<WalEventInput>> {
  return parsedLinks.remember(row.wal_links, () => Object.freeze(parseTaskColumn('wal_links', row.wal_links, row.id)))
}

/** The frozen decision; rows written before `decidedFor` existed lack it (run-time checks then assume an exec by the caller). */
export function decisionOf(row: TaskRow): FrozenDecision | undefined {
  return row.decision ? parseTaskColumn('decision', row.decision, row.id) : undefined
}

/** What the outcome records as the task's route: the plan made once, at admission. */
export function routeOf(row: TaskRow): RouteRecord | undefined {
  return row.route ? parseTaskColumn('route', row.route, row.id) : undefined
}

export function retryOf(row: TaskRow): RetryPolicy | undefined {
  return row.retry ? parseTaskColumn('retry', row.retry, row.id) : undefined
}

export function dependsOnOf(row: TaskRow): string[] {
  return parseTaskColumn('depends_on', row.depends_on, row.id)
}

function iso(ms: number | null): string | undefined {
  return ms === null ? undefined : new Date(ms).toISOString()
}

export function toTaskView(row: TaskRow, owner: { tenantId: string; agentId: string }): TaskView {
  const request = requestOf(row)
  const retry = retryOf(row)
  const optional = {
    deadline: iso(row.deadline_at),
    retry,
    idempotencyKey: row.idempotency_key ?? undefined,
    intentId: row.intent_id ?? undefined,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    result: row.result ? parseTaskColumn('result', row.result, row.id) : undefined,
    error: row.error ? parseTaskColumn('error', row.error, row.id) : undefined,
    approvalId: row.approval_id ?? undefined,
    nextAttemptAt: row.status === 'retry_wait' ? iso(row.next_attempt_at) : undefined,
    spilledInputs: request.spilled,
  }
  return {
    id: row.id,
    executionId: row.execution_id,
    agentId: owner.agentId,
    tenantId: owner.tenantId,
    type: row.type,
    work:
      request.command !== undefined
        ? { kind: 'command', command: request.command }
        : { kind: 'operation', operation: request.operation ?? row.type, args: request.args ?? [] },
    // Security: a task view goes to any read-scope token of the tenant; secrets in the payload stay in the row.
    payload: redact(parseTaskColumn('payload', row.payload, row.id)),
    priority: priorityOfRank(row.priority),
    status: row.status,
    dependsOn: dependsOnOf(row),
    timeoutSeconds: row.timeout_ms / 1000,
    attempts: row.attempts,
    maxAttempts: retry?.maxAttempts ?? 1,
    createdAt: new Date(row.created_at).toISOString(),
    metadata: parseTaskColumn('metadata', row.metadata, row.id),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  }
}
