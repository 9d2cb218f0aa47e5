/**
 * Recording metrics from anywhere in the fabric (Worker, agent Durable Objects,
 * RPC entrypoint):
 *
 *   metrics(env, ctx).count('agent_fabric_tasks_total', { tenant_id, agent_id, status: 'completed' })
 *   metrics(env, ctx).observe('agent_fabric_execution_duration_seconds', { tenant_id, tier: 1 }, 0.004)
 *   metrics(env, ctx).gaugeSet('agent_fabric_budget_usage_ratio', { tenant_id, entity_id }, 0.42)
 *
 * An isolate-local counter would be wrong on Workers (many isolates, each with
 * its own memory), so recording only adds a delta to this isolate's pending
 * batch; a flush sends the batch to the tenant's `MetricsDO`, which holds the
 * totals. Deltas are additive, so it does not matter which request's flush
 * carries them. The first delta after a flush schedules the next flush
 * METRICS_FLUSH_DELAY_MS later (held open with `ctx.waitUntil`), so the deltas
 * of every request in the isolate in that second go out in one call per
 * tenant after the responses (see flush-scheduler.ts for code without a
 * `ctx`); the HTTP middleware holds each request open until that flush. A failed call is retried by
 * the next flush under the same batch id, which the object applies once.
 *
 * While the isolate calls agents (`POST /v1/exec`), its pending deltas ride
 * inside those calls instead and the agent's isolate sends them with its own
 * (handoff.ts); the scheduled flush then waits for a quiet moment, so a burst
 * of execs costs no metrics request until it ends (or MAX_CARRY_HOLD_MS).
 */
import { newId } from '../../core/ids'
import { createFlushScheduler, type WaitUntil } from '../flush-scheduler'
import { createLogger } from '../logger'
import type { MetricsDO } from './metrics-do'
import {
  METRICS,
  type CounterName,
  type GaugeName,
  type HistogramName,
  type LabelsOf,
  type MetricName,
} from './catalog'
import { foldDelta, MAX_DELTAS_PER_CALL, type MetricDelta } from './delta'
import { CarriedBatchSchema, carriedBatchArrived, MAX_CARRIED_BATCHES, MAX_CARRY_HOLD_MS, untilQuiet, type CarriedBatch } from './handoff'

/** What one agent call may carry, built once: a zod schema built per call costs more than the parse (~20 µs). */
const CarriedBatchesSchema = CarriedBatchSchema.array().max(MAX_CARRIED_BATCHES)

export interface MetricsBindings {
  METRICS: DurableObjectNamespace<MetricsDO>
}

export type { WaitUntil }

/** Every series carries the tenant it belongs to; the recorder routes it to that tenant's shard. */
type Labelled<N extends MetricName> = LabelsOf<N> & { tenant_id: string }

export interface MetricsRecorder {
  count<N extends CounterName>(name: N, labels: Labelled<N>, n?: number): void
  observe<N extends HistogramName>(name: N, labels: Labelled<N>, seconds: number): void
  gaugeSet<N extends GaugeName>(name: N, labels: Labelled<N>, value: number): void
  gaugeAdd<N extends GaugeName>(name: N, labels: Labelled<N>, delta: number): void
}

/** tenant → series key → delta; shared by every request in this isolate until the next flush. */
let pending = new Map<string, Map<string, MetricDelta>>()

function stringLabels(labels: Record<string, string | number>): { tenantId: string; rest: Record<string, string> } {
  const rest: Record<string, string> = {}
  let tenantId = ''
  for (const [k, v] of Object.entries(labels)) {
    if (k === 'tenant_id') tenantId = String(v)
    else rest[k] = String(v)
  }
  return { tenantId, rest }
}

function add(tenantId: string, delta: MetricDelta): void {
  let series = pending.get(tenantId)
  if (!series) pending.set(tenantId, (series = new Map()))
  // A kind clash (gauge_add after gauge_set on one series) keeps the newer delta.
  foldDelta(series, delta)
}

/** Index of the bucket an observation falls in; the last index is +Inf. */
export function bucketIndex(bounds: readonly number[], value: number): number {
  const i = bounds.findIndex((bound) => value <= bound)
  return i === -1 ? bounds.length : i
}

function record(labels: Record<string, string | number>, build: (rest: Record<string, string>) => MetricDelta | undefined): void {
  const { tenantId, rest } = stringLabels(labels)
  const delta = build(rest)
  if (tenantId && delta) add(tenantId, delta)
}

/**
 * Deltas of one second go out together: one call per tenant per second per
 * isolate at most (metrics calls are billed Durable Object requests), so a
 * delta reaches its metrics object about a second after it was recorded
 * (while exec calls carry the deltas, after the calls pause: flushWhenQuiet).
 * `GET /metrics` flushes the scraping isolate first.
 */
export const METRICS_FLUSH_DELAY_MS = 1000
const scheduler = createFlushScheduler(METRICS_FLUSH_DELAY_MS)

export function metrics(env: MetricsBindings, ctx?: WaitUntil): MetricsRecorder {
  const done = () => scheduleMetricsFlush(env, ctx)
  return {
    count(name, labels, n = 1) {
      if (!(n > 0) || !Number.isFinite(n)) return
      record(labels, (rest) => ({ kind: 'counter', name, labels: rest, value: n }))
      done()
    },
    observe(name, labels, seconds) {
      if (!Number.isFinite(seconds)) return
      const bounds = METRICS[name].buckets
      record(labels, (rest) => {
        const bucketCounts = new Array<number>(bounds.length + 1).fill(0)
        bucketCounts[bucketIndex(bounds, seconds)] = 1
        return { kind: 'histogram', name, labels: rest, bucketCounts, sum: seconds, count: 1 }
      })
      done()
    },
    gaugeSet(name, labels, value) {
      if (!Number.isFinite(value)) return
      record(labels, (rest) => ({ kind: 'gauge_set', name, labels: rest, value, at: Date.now() }))
      done()
    },
    gaugeAdd(name, labels, delta) {
      if (!Number.isFinite(delta) || delta === 0) return
      record(labels, (rest) => ({ kind: 'gauge_add', name, labels: rest, value: delta }))
      done()
    },
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

interface OutgoingBatch extends CarriedBatch {
  tenantId: string
}

/**
 * Batches with a fixed id waiting for the next flush: those whose call failed
 * (sent again under the same id, which the object applies once) and those
 * agent calls carried here (handoff.ts).
 */
let queued: OutgoingBatch[] = []
let queuedDeltas = 0
/** A flush sends at most this many deltas per call; this many queued deltas also end a held flush's wait. */
const MAX_DELTAS_PER_FLUSH_CALL = 10_000
/** Beyond this many queued deltas the oldest batches are dropped: metrics must not grow an isolate without bound. */
const MAX_QUEUED_DELTAS = 5 * MAX_DELTAS_PER_FLUSH_CALL

const log = createLogger()

function enqueue(batches: readonly OutgoingBatch[]): void {
  for (const batch of batches) {
    queued.push(batch)
    queuedDeltas += batch.deltas.length
  }
  let dropped = 0
  while (queuedDeltas > MAX_QUEUED_DELTAS && queued.length > 1) {
    queuedDeltas -= queued.shift()?.deltas.length ?? 0
    dropped++
  }
  if (dropped > 0) log.error('metrics batches dropped after repeated flush failures', { dropped })
}

/**
 * Calls delivered to each tenant's metrics object, not yet counted. They are
 * billed like any Durable Object request, but only folded into a flush that
 * carries other deltas of that tenant: counting a delivery must never cause
 * one. At most one entry per tenant this isolate has flushed for.
 */
const deliveries = new Map<string, number>()

/** Takes a tenant's pending deltas out of the pending set, as batches with fresh ids. */
function takeTenant(tenantId: string): OutgoingBatch[] {
  const series = pending.get(tenantId)
  if (!series) return []
  const delivered = deliveries.get(tenantId)
  if (delivered) {
    deliveries.delete(tenantId)
    add(tenantId, { kind: 'counter', name: 'agent_fabric_billable_do_requests_total', labels: { binding: 'METRICS' }, value: delivered })
  }
  pending.delete(tenantId)
  return chunks([...series.values()], MAX_DELTAS_PER_CALL).map((deltas) => ({ tenantId, batchId: newId('mb'), deltas }))
}

/** One call to the tenant's metrics object with several batches; a failure queues them again, ids unchanged. */
async function send(env: MetricsBindings, tenantId: string, batches: OutgoingBatch[]): Promise<void> {
  try {
    await env.METRICS.get(env.METRICS.idFromName(tenantId)).applyMany(batches.map(({ batchId, deltas }) => ({ batchId, deltas })))
    deliveries.set(tenantId, (deliveries.get(tenantId) ?? 0) + 1)
  } catch (error) {
    enqueue(batches)
    log.warn('metrics flush failed; the batches are retried by the next flush', { tenantId, error })
  }
}

/** Groups batches per tenant into calls of at most MAX_DELTAS_PER_FLUSH_CALL deltas. */
function calls(batches: readonly OutgoingBatch[]): [string, OutgoingBatch[]][] {
  const out: [string, OutgoingBatch[]][] = []
  const open = new Map<string, { batches: OutgoingBatch[]; deltas: number }>()
  for (const batch of batches) {
    let call = open.get(batch.tenantId)
    if (!call || call.deltas + batch.deltas.length > MAX_DELTAS_PER_FLUSH_CALL) {
      call = { batches: [], deltas: 0 }
      open.set(batch.tenantId, call)
      out.push([batch.tenantId, call.batches])
    }
    call.batches.push(batch)
    call.deltas += batch.deltas.length
  }
  return out
}

/**
 * Sends every pending delta to its tenant's metrics object, plus every queued
 * batch (failed earlier, or carried here), one call per tenant. Each batch
 * keeps an id the object deduplicates on, so a call that failed after the
 * object committed is not counted twice when it is retried.
 */
export async function flushMetrics(env: MetricsBindings): Promise<void> {
  scheduler.started()
  lastFlushAt = Date.now()
  const outgoing = queued
  queued = []
  queuedDeltas = 0
  for (const tenantId of [...pending.keys()]) outgoing.push(...takeTenant(tenantId))
  await Promise.all(calls(outgoing).map(([tenantId, batches]) => send(env, tenantId, batches)))
}

/** When this isolate last flushed: a held flush waits at most MAX_CARRY_HOLD_MS after it. */
let lastFlushAt = Date.now()

/**
 * The scheduled flush: while agent calls carry this isolate's deltas, it waits
 * for a quiet moment (the next call would have carried them), until
 * MAX_CARRY_HOLD_MS after the last flush, or until MAX_DELTAS_PER_FLUSH_CALL
 * deltas are queued. The scheduler replaces a schedule it presumes dropped, so
 * several may wait at once; the first to end takes everything, and the
 * others, finding nothing, send nothing.
 */
async function flushWhenQuiet(env: MetricsBindings): Promise<void> {
  for (;;) {
    const wait = Math.min(untilQuiet(METRICS_FLUSH_DELAY_MS), lastFlushAt + MAX_CARRY_HOLD_MS - Date.now())
    if (wait <= 0 || queuedDeltas >= MAX_DELTAS_PER_FLUSH_CALL) break
    await new Promise((resolve) => setTimeout(resolve, wait))
  }
  await flushMetrics(env)
}

/** After a request: this isolate's deltas leave with the next scheduled flush, held open by the request's `waitUntil`. */
export function scheduleMetricsFlush(env: MetricsBindings, ctx?: WaitUntil): void {
  scheduler.schedule(() => flushWhenQuiet(env), ctx)
}

/** True when this isolate holds deltas or batches not yet delivered. */
export function hasPendingMetrics(): boolean {
  return pending.size > 0 || queued.length > 0
}

/** Before an agent call: the tenant's pending deltas, to ride inside it (handoff.ts). */
export function takeCarriedMetrics(tenantId: string): CarriedBatch[] {
  return takeTenant(tenantId).map(({ batchId, deltas }) => ({ batchId, deltas }))
}

/** The agent call failed: the batches it carried go out with this isolate's next flush, ids unchanged. */
export function returnCarriedMetrics(env: MetricsBindings, tenantId: string, batches: readonly CarriedBatch[], ctx?: WaitUntil): void {
  if (batches.length === 0) return
  enqueue(batches.map((batch) => ({ tenantId, ...batch })))
  scheduleMetricsFlush(env, ctx)
}

/** In the agent: batches a call carried here (unchecked input), sent with this isolate's own deltas by its next flush; the tenant is the caller's. */
export function acceptCarriedMetrics(env: MetricsBindings, tenantId: string, carried: unknown): void {
  const batches = CarriedBatchesSchema.parse(carried ?? [])
  carriedBatchArrived()
  if (batches.length === 0) return
  enqueue(batches.map((batch) => ({ tenantId, ...batch })))
  scheduleMetricsFlush(env)
}
