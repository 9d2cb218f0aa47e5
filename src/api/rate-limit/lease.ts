/**
 * Rate limiting without a Durable Object request per request: an isolate
 * leases a share of its tenant's bucket from the tenant's RateLimiterDO and
 * spends it locally, calling again only when the share is spent or stale.
 *
 * - The limit still holds across isolates: every request spends a token the
 *   object handed out, and the object never hands out more than its bucket.
 * - A share is a tenth of a second's worth of the tenant's rate (at least 1,
 *   at most MAX_LEASE), so a slow tenant (a few requests a second) still asks
 *   per request and is limited exactly as before, and a busy one asks about
 *   ten times a second per isolate.
 * - Unspent tokens expire with the lease (LEASE_MS): they are lost, never
 *   returned, so leasing can only serve fewer requests than the limit allows,
 *   never more. A changed limit reaches an isolate when its lease ends.
 * - Concurrent requests of one tenant share one lease call; a request that
 *   finds every fresh share taken by others tries a bounded number of times.
 */
import type { BucketConfig } from './token-bucket'

/** How long an isolate may spend a lease. */
export const LEASE_MS = 1000
/** The largest share one call hands out. */
const MAX_LEASE = 1000
/** Shares of this many seconds of the tenant's rate. */
const LEASE_SECONDS = 0.1
/** Tenants whose leases one isolate keeps; beyond it the oldest lease is dropped (its tokens are lost). */
const MAX_TENANTS = 10_000
/** Lease calls one request makes at most before it is refused like an empty bucket. */
const MAX_ATTEMPTS = 3

export interface LeaseGrant {
  /** Tokens handed out: 0 when the bucket is empty. */
  granted: number
  /** When refused: seconds until a token is back. */
  retryAfterSeconds: number
}

export function leaseSize(config: BucketConfig): number {
  return Math.max(1, Math.min(MAX_LEASE, config.burst, Math.floor(config.ratePerSecond * LEASE_SECONDS)))
}

interface Lease {
  tokens: number
  expiresAt: number
}

export type TakeOutcome = { allowed: true } | { allowed: false; retryAfterSeconds: number }

export class LeasedLimiter {
  private readonly leases = new Map<string, Lease>()
  private readonly inflight = new Map<string, Promise<LeaseGrant>>()

  constructor(private readonly now: () => number) {}

  /** One token of `tenantId`'s limit; `lease` asks the tenant's object for a share. */
  async take(tenantId: string, lease: () => Promise<LeaseGrant>): Promise<TakeOutcome> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const held = this.leases.get(tenantId)
      if (held && held.expiresAt > this.now() && held.tokens >= 1) {
        held.tokens--
        return { allowed: true }
      }
      const grant = await this.renew(tenantId, lease)
      if (grant.granted === 0) return { allowed: false, retryAfterSeconds: grant.retryAfterSeconds }
    }
    return { allowed: false, retryAfterSeconds: 1 }
  }

  /** Drops this isolate's lease of a tenant (its limit changed here). */
  forget(tenantId: string): void {
    this.leases.delete(tenantId)
  }

  private renew(tenantId: string, lease: () => Promise<LeaseGrant>): Promise<LeaseGrant> {
    const running = this.inflight.get(tenantId)
    if (running) return running
    const call = lease()
      .then((grant) => {
        this.leases.delete(tenantId)
        if (grant.granted > 0) this.leases.set(tenantId, { tokens: grant.granted, expiresAt: this.now() + LEASE_MS })
        while (this.leases.size > MAX_TENANTS) {
          const oldest = this.leases.keys().next().value
          if (oldest === undefined) break
          this.leases.delete(oldest)
        }
        return grant
      })
      .finally(() => this.inflight.delete(tenantId))
    this.inflight.set(tenantId, call)
    return call
  }
}
