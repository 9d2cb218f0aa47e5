/**
 * Metric deltas that ride inside a request the isolate makes anyway. Each
 * `POST /v1/exec` is one Durable Object request to the caller's agent; the
 * isolate's pending deltas of that tenant travel inside it (as one batch with
 * its own id) instead of costing the isolate a MetricsDO request of its own,
 * and the agent sends them with its own deltas. While such calls flow, an
 * isolate's scheduled flush waits for a quiet moment: the next call would
 * have carried what it holds. Exactly once: the batch keeps its id all the
 * way to the metrics object, which applies an id once, so a batch the
 * isolate takes back after a failed call (the agent may have kept it too)
 * still counts once.
 */
import { z } from 'zod'
import { MAX_DELTAS_PER_CALL } from './delta'

/** A batch handed to another object: the tenant is the caller's, so it does not travel. */
export const CarriedBatchSchema = z.object({
  batchId: z.string().min(1).max(64),
  deltas: z.array(z.unknown()).max(MAX_DELTAS_PER_CALL),
})

export type CarriedBatch = z.infer<typeof CarriedBatchSchema>

/** Batches one call may carry: one per MAX_DELTAS_PER_CALL pending series of the tenant. */
export const MAX_CARRIED_BATCHES = 64

/**
 * A flush held for a quiet moment is sent anyway after this long, so an
 * isolate under sustained load still delivers (and stays within the 30 s a
 * Worker's `waitUntil` may run after its response).
 */
export const MAX_CARRY_HOLD_MS = 20_000

/** Calls that carry (or may carry) deltas, in flight in this isolate. */
let carriersInFlight = 0
/** When the last such call ended (or a batch arrived); a flush waits for a quiet moment after it. */
let lastCarryAt = Number.NEGATIVE_INFINITY

/** Runs `call` as a carrier: while it runs, and for `quietMs` after, the isolate's flush waits. */
export async function carrying<T>(call: () => Promise<T>): Promise<T> {
  carriersInFlight += 1
  try {
    return await call()
  } finally {
    carriersInFlight -= 1
    lastCarryAt = Date.now()
  }
}

/** A batch arrived with a call: more are likely to follow, so the flush waits as after a carrier. */
export function carriedBatchArrived(): void {
  lastCarryAt = Date.now()
}

/** How long a flush should still wait for a quiet moment (0: send now). */
export function untilQuiet(quietMs: number, now = Date.now()): number {
  if (carriersInFlight > 0) return quietMs
  return Math.max(0, lastCarryAt + quietMs - now)
}
