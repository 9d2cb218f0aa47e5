/**
 * One background flush per burst of recordings, one macrotask after the
 * first, shared by the metrics and span buffers of an isolate. With a `ctx`
 * the flush is held open by `waitUntil`; without one (the tier router, code in
 * a Durable Object) a plain timer runs it — in a Durable Object that fires,
 * and in a stateless request the end-of-request flush of the HTTP middleware
 * has already taken the buffer if the timer is dropped. A schedule older than
 * a second is presumed dropped (its request ended) and replaced.
 */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void
}

const STALE_SCHEDULE_MS = 1000

export interface FlushScheduler {
  /** Call after recording; starts `flush` unless a flush is already on its way. */
  schedule(flush: () => Promise<unknown>, ctx?: WaitUntil): void
  /** Call when a flush starts, so the next recording schedules the one after. */
  started(): void
}

export function createFlushScheduler(): FlushScheduler {
  let scheduledAt: number | undefined
  return {
    schedule(flush, ctx) {
      const now = Date.now()
      if (scheduledAt !== undefined && now - scheduledAt < STALE_SCHEDULE_MS) return
      scheduledAt = now
      const done = new Promise((resolve) => setTimeout(resolve, 0)).then(flush)
      if (ctx) ctx.waitUntil(done)
    },
    started() {
      scheduledAt = undefined
    },
  }
}
