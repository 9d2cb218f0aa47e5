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
 *   finds every fresh share taken by others a few times makes a call of its
 *   own, so it is refused only when the bucket itself is empty. The others
 *   wait for the shared call's grant in their own requests
 *   (src/core/own-request-wait.ts): no request awaits a promise another
 *   request settles.
 */
import type { BucketConfig } from './token-bucket'
import { SharedCalls, type Timers } from '../../core/own-request-wait'

/**
 * How long an isolate may spend a lease. It bounds only how late a changed limit reaches other isolates:
 * the share itself (≤ 0.1 s of the rate) bounds what one isolate holds, and an isolate that spends its share
 * asks again at once. Short leases cost a limiter request per isolate per lease even at a trickle.
 */
export const LEASE_MS = 5000
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
  /** One lease call per tenant at a time; `timers`: how a request waits for another's (real ones, or a test's). */
  private readonly calls: SharedCalls<LeaseGrant>

  constructor(
    private readonly now: () => number,
    timers?: Timers,
  ) {
    this.calls = new SharedCalls(timers)
  }

  /** One token of `tenantId`'s limit; `lease` asks the tenant's object for a share. */
  async take(tenantId: string, lease: () => Promise<LeaseGrant>): Promise<TakeOutcome> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (this.spend(tenantId)) return { allowed: true }
      const grant = await this.renew(tenantId, lease)
      if (grant.granted === 0) return this.spend(tenantId) ? { allowed: true } : { allowed: false, retryAfterSeconds: grant.retryAfterSeconds }
    }
    if (this.spend(tenantId)) return { allowed: true }
    // Others took every share this request waited for: a call of its own, refused only if the bucket is empty
    // and no other call left a token here meanwhile.
    const own = await lease()
    if (own.granted > 0) {
      this.keep(tenantId, own.granted - 1)
      return { allowed: true }
    }
    return this.spend(tenantId) ? { allowed: true } : { allowed: false, retryAfterSeconds: own.retryAfterSeconds }
  }

  /** Takes one token of the tenant's fresh lease, if it holds one. */
  private spend(tenantId: string): boolean {
    const held = this.leases.get(tenantId)
    if (!held || held.expiresAt <= this.now() || held.tokens < 1) return false
    held.tokens--
    return true
  }

  /** Drops this isolate's lease of a tenant (its limit changed here). */
  forget(tenantId: string): void {
    this.leases.delete(tenantId)
  }

  /** Adds newly granted tokens to the tenant's fresh lease (a stale one's are lost), as a lease of LEASE_MS from now. */
  private keep(tenantId: string, tokens: number): void {
    const held = this.leases.get(tenantId)
    const fresh = held && held.expiresAt > this.now() ? held.tokens : 0
    this.leases.delete(tenantId)
    if (fresh + tokens > 0) this.leases.set(tenantId, { tokens: fresh + tokens, expiresAt: this.now() + LEASE_MS })
    while (this.leases.size > MAX_TENANTS) {
      const oldest = this.leases.keys().next().value
      if (oldest === undefined) break
      this.leases.delete(oldest)
    }
  }

  private renew(tenantId: string, lease: () => Promise<LeaseGrant>): Promise<LeaseGrant> {
    return this.calls.once(tenantId, async () => {
      const grant = await lease()
      this.keep(tenantId, grant.granted)
      return grant
    })
  }
}
