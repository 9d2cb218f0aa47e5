/**
 * Where the scheduler reads the time. Everything time-based (aging, deadlines,
 * timeouts, heartbeats, retry delays, budget periods) asks a Clock, and the
 * alarm handler decides what is due from it, so tests can move time forward
 * and fire the alarm instead of sleeping.
 */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

