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
 * macrotask). One request's `waitUntil` holds a flush open until it has run,
 * and the flush takes every delta queued by then, so later callers need not
 * hold it too (each `waitUntil` of another request's promise cost a tenth of
 * a millisecond of an empty route's 1.5 ms). A flush scheduled without a
 * `ctx` is held by the first caller that brings one.
 */
export function createFlushScheduler(delayMs = 0): FlushScheduler {
  let scheduledAt: number | undefined
  let scheduled: Promise<unknown> | undefined
  let held = false
  const hold = (ctx: WaitUntil | undefined) => {
    if (!ctx || held || scheduled === undefined) return
    ctx.waitUntil(scheduled)
    held = true
  }
  return {
    schedule(flush, ctx) {
      const now = Date.now()
      if (scheduled !== undefined && scheduledAt !== undefined && now - scheduledAt < delayMs + STALE_SCHEDULE_MS) {
        hold(ctx)
        return
      }
      scheduledAt = now
      scheduled = new Promise((resolve) => setTimeout(resolve, delayMs)).then(flush)
      held = false
      hold(ctx)
    },
    started() {
      scheduledAt = undefined
      scheduled = undefined
      held = false
    },
  }
}
