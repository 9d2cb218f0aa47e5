/**
 * One background flush per burst of recordings, a set delay after the
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

/**
 * `delayMs` groups the recordings of that long into one flush (0: the next
 * macrotask). A caller that brings a `ctx` while a flush is already on its way
 * holds that flush open too, so a request's deltas never wait on a timer that
 * its own request's end could drop.
 */
export function createFlushScheduler(delayMs = 0): FlushScheduler {
  let scheduledAt: number | undefined
  let scheduled: Promise<unknown> | undefined
  return {
    schedule(flush, ctx) {
      const now = Date.now()
      if (scheduled !== undefined && scheduledAt !== undefined && now - scheduledAt < delayMs + STALE_SCHEDULE_MS) {
        if (ctx) ctx.waitUntil(scheduled)
        return
      }
      scheduledAt = now
      scheduled = new Promise((resolve) => setTimeout(resolve, delayMs)).then(flush)
      if (ctx) ctx.waitUntil(scheduled)
    },
    started() {
      scheduledAt = undefined
      scheduled = undefined
    },
  }
}
