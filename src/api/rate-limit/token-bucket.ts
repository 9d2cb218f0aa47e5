/**
 * A token bucket: `burst` tokens at most, refilled at `ratePerSecond`; each
 * request takes one. Pure, so the arithmetic is tested without a clock.
 */
export interface BucketConfig {
  ratePerSecond: number
  burst: number
}

export interface BucketState {
  tokens: number
  /** Epoch milliseconds of the last refill. */
  updatedAt: number
}

export interface TakeResult {
  allowed: boolean
  state: BucketState
  /** Whole tokens left after this request. */
  remaining: number
  /** When refused: seconds until one token is back (what `Retry-After` says); 0 when allowed. */
  retryAfterSeconds: number
}

export function fullBucket(config: BucketConfig, now: number): BucketState {
  return { tokens: config.burst, updatedAt: now }
}

export function takeToken(config: BucketConfig, prior: BucketState, now: number): TakeResult {
  const elapsedSeconds = Math.max(0, now - prior.updatedAt) / 1000
  const tokens = Math.min(config.burst, prior.tokens + elapsedSeconds * config.ratePerSecond)
  if (tokens >= 1) {
    const state = { tokens: tokens - 1, updatedAt: now }
    return { allowed: true, state, remaining: Math.floor(state.tokens), retryAfterSeconds: 0 }
  }
  const retryAfterSeconds = Math.max(1, Math.ceil((1 - tokens) / config.ratePerSecond))
  return { allowed: false, state: { tokens, updatedAt: now }, remaining: 0, retryAfterSeconds }
}

/** A lease of up to `wanted` tokens at once: as many as the bucket holds (whole ones), at least one or none. */
export function takeTokens(config: BucketConfig, prior: BucketState, now: number, wanted: number): TakeResult & { granted: number } {
  const first = takeToken(config, prior, now)
  if (!first.allowed) return { ...first, granted: 0 }
  const granted = Math.min(wanted, 1 + Math.floor(first.state.tokens))
  const state = { tokens: first.state.tokens - (granted - 1), updatedAt: now }
  return { allowed: true, state, remaining: Math.floor(state.tokens), retryAfterSeconds: 0, granted }
}
