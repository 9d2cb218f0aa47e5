/**
 * One metrics Durable Object per tenant (named by tenant id): the aggregation
 * point for counters, gauges and histograms that isolates and agent objects
 * record. Sharding by tenant keeps one busy tenant from slowing another's
 * writes and makes "a tenant sees only its own series" a matter of which
 * object is read.
 */
import { DurableObject } from 'cloudflare:workers'
import { applyMigrations } from '../../core/storage-migrations'
import type { Env } from '../../env'
import { applyBatch, applyBatches, METRICS_MIGRATIONS, readSeries, type ApplyOutcome, type SeriesSnapshot } from './store'

export class MetricsDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    applyMigrations(ctx.storage, METRICS_MIGRATIONS)
  }

  /** Adds a batch of deltas; a batch id seen before is skipped (the sender retried after a lost reply). */
  apply(batchId: string, deltas: readonly unknown[]): ApplyOutcome {
    return this.ctx.storage.transactionSync(() => applyBatch(this.ctx.storage.sql, batchId, deltas, Date.now()))
  }

  /** Many batches in one request (a flush that includes batches carried by agent calls); each id is applied once, the rest summed per series. */
  applyMany(batches: readonly { batchId: string; deltas: readonly unknown[] }[]): ApplyOutcome {
    return this.ctx.storage.transactionSync(() => applyBatches(this.ctx.storage.sql, batches, Date.now()))
  }

  /** Every series of this tenant, for `/metrics`. */
  snapshot(): SeriesSnapshot[] {
    return readSeries(this.ctx.storage.sql)
  }
}
