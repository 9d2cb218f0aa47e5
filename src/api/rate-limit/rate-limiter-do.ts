/**
 * One rate limiter per tenant (named by tenant id), so a tenant's requests
 * from every isolate share one bucket. The bucket lives in memory: when the
 * object is evicted it comes back full, which errs on the side of serving.
 * A tenant's own limits (set through `/v1/tenants`) are stored; tenants
 * without them use RATE_LIMIT_PER_SECOND / RATE_LIMIT_BURST. Requests do not
 * call it one by one: isolates lease a share of the bucket (lease.ts).
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../../env'
import { RateLimitSchema } from '../schemas/tenants'
import { fullBucket, takeToken, takeTokens, type BucketConfig, type BucketState, type TakeResult } from './token-bucket'
import { leaseSize, type LeaseGrant } from './lease'

const CONFIG_KEY = 'rate-limit-config'

/** Defaults when neither the tenant nor the vars say otherwise: 50 requests/s sustained, bursts of 100. */
export const DEFAULT_RATE_LIMIT: BucketConfig = { ratePerSecond: 50, burst: 100 }

export function defaultRateLimit(env: Pick<Env, 'RATE_LIMIT_PER_SECOND' | 'RATE_LIMIT_BURST'>): BucketConfig {
  const parsed = RateLimitSchema.safeParse({
    ratePerSecond: Number(env.RATE_LIMIT_PER_SECOND ?? DEFAULT_RATE_LIMIT.ratePerSecond),
    burst: Number(env.RATE_LIMIT_BURST ?? DEFAULT_RATE_LIMIT.burst),
  })
  return parsed.success ? parsed.data : DEFAULT_RATE_LIMIT
}

export class RateLimiterDO extends DurableObject<Env> {
  private bucket: BucketState | undefined
  /** This object is the only writer of its config, so it is read from storage once, not on every request. */
  private cachedConfig: BucketConfig | undefined

  private config(): BucketConfig {
    if (!this.cachedConfig) {
      const stored = RateLimitSchema.safeParse(this.ctx.storage.kv.get(CONFIG_KEY))
      this.cachedConfig = stored.success ? stored.data : defaultRateLimit(this.env)
    }
    return this.cachedConfig
  }

  /** Takes one token for a request of this tenant. */
  take(): TakeResult {
    const config = this.config()
    const now = Date.now()
    const result = takeToken(config, this.bucket ?? fullBucket(config, now), now)
    this.bucket = result.state
    return result
  }

  /** Hands an isolate a share of the bucket to spend without calling again (see lease.ts). */
  lease(): LeaseGrant {
    const config = this.config()
    const now = Date.now()
    const result = takeTokens(config, this.bucket ?? fullBucket(config, now), now, leaseSize(config))
    this.bucket = result.state
    return { granted: result.granted, retryAfterSeconds: result.retryAfterSeconds }
  }

  /** Sets this tenant's limits and refills the bucket to the new burst. */
  configure(limits: BucketConfig): BucketConfig {
    const config = RateLimitSchema.parse(limits)
    this.ctx.storage.kv.put(CONFIG_KEY, config)
    this.cachedConfig = config
    this.bucket = fullBucket(config, Date.now())
    return config
  }

  limits(): BucketConfig {
    return this.config()
  }
}
