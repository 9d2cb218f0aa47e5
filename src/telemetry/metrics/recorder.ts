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
import { MAX_DELTAS_PER_CALL, mergeDelta, seriesKey, type MetricDelta } from './delta'

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
  const key = seriesKey(delta.name, delta.labels)
  const existing = series.get(key)
  // A kind clash (gauge_add after gauge_set on one series) keeps the newer delta.
  if (!existing || !mergeDelta(existing, delta)) series.set(key, delta)
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
 * delta reaches its metrics object about a second after it was recorded.
 * `GET /metrics` flushes the scraping isolate first.
 */
export const METRICS_FLUSH_DELAY_MS = 1000
const scheduler = createFlushScheduler(METRICS_FLUSH_DELAY_MS)

export function metrics(env: MetricsBindings, ctx?: WaitUntil): MetricsRecorder {
  const done = () => scheduler.schedule(() => flushMetrics(env), ctx)
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

interface OutgoingBatch {
  tenantId: string
  /** The metrics object remembers applied batch ids, so a retried batch is applied once. */
  batchId: string
  deltas: MetricDelta[]
}

/** Batches whose call failed, sent again (same id, same content) by the next flush. */
let retries: OutgoingBatch[] = []
/** Beyond this many failed batches the oldest are dropped: metrics must not grow an isolate without bound. */
const MAX_RETRY_BATCHES = 100

const log = createLogger()

/**
 * Calls delivered to each tenant's metrics object, not yet counted. They are
 * billed like any Durable Object request, but only folded into a flush that
 * carries other deltas of that tenant: counting a delivery must never cause
 * one. At most one entry per tenant this isolate has flushed for.
 */
const deliveries = new Map<string, number>()

async function send(env: MetricsBindings, batch: OutgoingBatch): Promise<void> {
  try {
    await env.METRICS.get(env.METRICS.idFromName(batch.tenantId)).apply(batch.batchId, batch.deltas)
    deliveries.set(batch.tenantId, (deliveries.get(batch.tenantId) ?? 0) + 1)
  } catch (error) {
    retries.push(batch)
    if (retries.length > MAX_RETRY_BATCHES) {
      const dropped = retries.splice(0, retries.length - MAX_RETRY_BATCHES)
      log.error('metrics batches dropped after repeated flush failures', { dropped: dropped.length })
    }
    log.warn('metrics flush failed; the batch is retried by the next flush', { tenantId: batch.tenantId, error })
  }
}

/**
 * Sends every pending delta to its tenant's metrics object, plus any batch an
 * earlier flush failed to deliver. Each call carries a batch id the object
 * deduplicates on, so a call that failed after the object committed is not
 * counted twice when it is retried.
 */
export async function flushMetrics(env: MetricsBindings): Promise<void> {
  scheduler.started()
  const outgoing = retries
  retries = []
  for (const [tenantId, series] of pending) {
    const delivered = deliveries.get(tenantId)
    if (delivered) {
      deliveries.delete(tenantId)
      add(tenantId, { kind: 'counter', name: 'agent_fabric_billable_do_requests_total', labels: { binding: 'METRICS' }, value: delivered })
    }
    for (const deltas of chunks([...series.values()], MAX_DELTAS_PER_CALL)) {
      outgoing.push({ tenantId, batchId: newId('mb'), deltas })
    }
  }
  pending = new Map()
  await Promise.all(outgoing.map((batch) => send(env, batch)))
}

/** After a request: this isolate's deltas leave with the next scheduled flush, held open by the request's `waitUntil`. */
export function scheduleMetricsFlush(env: MetricsBindings, ctx: WaitUntil): void {
  scheduler.schedule(() => flushMetrics(env), ctx)
}

/** True when this isolate holds deltas or failed batches not yet delivered. */
export function hasPendingMetrics(): boolean {
  return pending.size > 0 || retries.length > 0
}
