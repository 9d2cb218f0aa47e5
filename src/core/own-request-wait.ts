/**
 * Waiting, inside one request, for something another request of the same
 * isolate does. Awaiting a promise that another request settles is not safe
 * on Workers: the awaiting code may then go on in the settling request's
 * context, so the Response it builds belongs to the wrong request and the
 * runtime refuses it ("Cannot perform I/O on behalf of a different request");
 * and a request whose only wait is such a promise has nothing of its own
 * pending, so the runtime may cancel it as hung. Here the waiting request
 * checks plain shared state from timers of its own, which always run in its
 * own context and keep it alive while it waits.
 */

/** The clock and timers a wait uses: the real ones, or a test's that it moves by hand. */
export interface Timers {
  now(): number
  /** Calls `callback` after `ms`, from a timer of the calling request. */
  after(ms: number, callback: () => void): void
}

export const realTimers: Timers = {
  now: () => Date.now(),
  after: (ms, callback) => void setTimeout(callback, ms),
}

/** How soon a waiting request looks again after its first look; later looks come further apart. */
export const POLL_MS = 1
/** The longest between two looks. */
export const MAX_POLL_MS = 50
/** After a wait of t ms, the next look comes t / BACKOFF_DIVISOR ms later: a long wait costs few looks and at most an eighth more time. */
const BACKOFF_DIVISOR = 8

export interface OwnRequestWait {
  /** When to look first: a caller that can tell when the state will likely change saves the looks before. */
  firstLookMs?: number
  /** After this long, resolve with undefined. */
  timeoutMs?: number
}

/** A wait with no timeout: it resolves only with a value. */
export type UntimedWait = OwnRequestWait & { timeoutMs?: undefined }

/**
 * Resolves, in the calling request, with the first value `ready` answers that is not undefined: checked at
 * once, then after `firstLookMs` (default POLL_MS), then again and again, each look further apart (from
 * POLL_MS up to MAX_POLL_MS); after `timeoutMs`, with undefined.
 */
export function waitInOwnRequest<T>(ready: () => T | undefined, options: UntimedWait, timers?: Timers): Promise<T>
export function waitInOwnRequest<T>(ready: () => T | undefined, options?: OwnRequestWait, timers?: Timers): Promise<T | undefined>
export function waitInOwnRequest<T>(ready: () => T | undefined, { firstLookMs = POLL_MS, timeoutMs }: OwnRequestWait = {}, timers: Timers = realTimers): Promise<T | undefined> {
  const first = ready()
  if (first !== undefined) return Promise.resolve(first)
  const started = timers.now()
  const deadline = timeoutMs === undefined ? undefined : started + timeoutMs
  const after = (ms: number): number => (deadline === undefined ? ms : Math.max(0, Math.min(ms, deadline - timers.now())))
  return new Promise((resolve) => {
    const look = (): void => {
      const value = ready()
      if (value !== undefined || (deadline !== undefined && timers.now() >= deadline)) {
        resolve(value)
        return
      }
      const waited = timers.now() - started
      timers.after(after(Math.min(MAX_POLL_MS, Math.max(POLL_MS, waited / BACKOFF_DIVISOR))), look)
    }
    timers.after(after(firstLookMs), look)
  })
}

/** How work one request does for others ended: its value, or what it threw. */
export type SharedOutcome<T> = { value: T } | { thrown: unknown }

/** Work one request does for other requests of the isolate, which wait for its outcome (waitForShared). */
export interface SharedWork<T> {
  outcome: SharedOutcome<T> | undefined
}

/** Runs `work` in the calling request and records how it ended in `shared`, for the requests waiting on it. */
export async function doShared<T>(shared: SharedWork<T>, work: () => Promise<T>): Promise<T> {
  try {
    const value = await work()
    shared.outcome = { value }
    return value
  } catch (thrown) {
    shared.outcome = { thrown }
    throw thrown
  }
}

/** Waits, in the calling request and without a timeout, for another request's `doShared`: its value, or throws what it threw. */
export async function waitForShared<T>(shared: SharedWork<T>, options: UntimedWait = {}, timers: Timers = realTimers): Promise<T> {
  const outcome = await waitInOwnRequest(() => shared.outcome, options, timers)
  if ('thrown' in outcome) throw outcome.thrown
  return outcome.value
}

/** One call per key at a time across the requests of an isolate: a request that finds one running waits for its outcome. */
export class SharedCalls<T> {
  private readonly running = new Map<string, SharedWork<T>>()

  constructor(private readonly timers: Timers = realTimers) {}

  /** Runs `work` for `key`, or, when another request runs it now, answers (or throws) what that call does. */
  async once(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.running.get(key)
    if (running) return waitForShared(running, {}, this.timers)
    const shared: SharedWork<T> = { outcome: undefined }
    this.running.set(key, shared)
    try {
      return await doShared(shared, work)
    } finally {
      this.running.delete(key)
    }
  }
}
