import { describe, expect, it } from 'vitest'
import { LEASE_MS, LeasedLimiter, leaseSize, type LeaseGrant } from '../../src/api/rate-limit/lease'
import { fullBucket, takeToken, takeTokens } from '../../src/api/rate-limit/token-bucket'
import { call, json } from '../helpers/http'
import { createTenant, type ErrorBody } from '../helpers/tenants'

describe('token bucket', () => {
  const config = { ratePerSecond: 2, burst: 3 }

  it('allows a burst, then refuses with the seconds until one token is back', () => {
    let state = fullBucket(config, 0)
    const outcomes = []
    for (let i = 0; i < 4; i++) {
      const r = takeToken(config, state, 0)
      state = r.state
      outcomes.push([r.allowed, r.remaining, r.retryAfterSeconds])
    }
    expect(outcomes).toEqual([
      [true, 2, 0],
      [true, 1, 0],
      [true, 0, 0],
      [false, 0, 1],
    ])
  })

  it('refills at the rate, never above the burst', () => {
    const empty = { tokens: 0, updatedAt: 0 }
    expect(takeToken(config, empty, 499).allowed).toBe(false)
    expect(takeToken(config, empty, 500)).toMatchObject({ allowed: true, remaining: 0 })
    expect(takeToken(config, empty, 60_000)).toMatchObject({ allowed: true, remaining: 2 })
  })

  it('rounds Retry-After up to whole seconds for slow rates', () => {
    const slow = { ratePerSecond: 0.1, burst: 1 }
    expect(takeToken(slow, { tokens: 0.25, updatedAt: 0 }, 0).retryAfterSeconds).toBe(8)
  })
})

describe('per-tenant rate limit over HTTP', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a tenant’s burst is spent, without touching other tenants', async () => {
    const limited = await createTenant({ rateLimit: { ratePerSecond: 0.01, burst: 2 } })
    expect(limited.rateLimit).toEqual({ ratePerSecond: 0.01, burst: 2 })
    const other = await createTenant()
    const statuses = []
    let refused: Response | undefined
    for (let i = 0; i < 3; i++) {
      const response = await call('GET', '/v1/whoami', { token: limited.token.value })
      statuses.push(response.status)
      if (response.status === 429) refused = response
    }
    expect(statuses).toEqual([200, 200, 429])
    const body = await json<ErrorBody>(refused!)
    expect(body.error.code).toBe('RATE_LIMITED')
    // One token takes 100 s at 0.01/s; the header and the body agree.
    expect(refused!.headers.get('retry-after')).toBe(String(body.error.details?.retryAfterSeconds))
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(90)
    expect((await call('GET', '/v1/whoami', { token: other.token.value })).status).toBe(200)
  })

  it('an operator can change a tenant’s limit; the tenant cannot', async () => {
    const t = await createTenant()
    const self = await call('PUT', `/v1/tenants/${t.tenant.id}/rate-limit`, { token: t.token.value, body: { ratePerSecond: 1000, burst: 1000 } })
    expect(self.status).toBe(403)
    const op = await call('PUT', `/v1/tenants/${t.tenant.id}/rate-limit`, { body: { ratePerSecond: 5, burst: 10 } })
    expect(op.status).toBe(200)
    expect(await json(op)).toEqual({ ratePerSecond: 5, burst: 10 })
    expect(await json(await call('GET', `/v1/tenants/${t.tenant.id}`, { token: t.token.value }))).toMatchObject({ rateLimit: { ratePerSecond: 5, burst: 10 } })
  })
})

describe('leased rate limit (one limiter call per share, not per request)', () => {
  function fakeObject(config: { ratePerSecond: number; burst: number }, clock: { now: number }) {
    let state = fullBucket(config, clock.now)
    const calls: number[] = []
    return {
      calls,
      lease: async (): Promise<LeaseGrant> => {
        const result = takeTokens(config, state, clock.now, leaseSize(config))
        state = result.state
        calls.push(result.granted)
        return { granted: result.granted, retryAfterSeconds: result.retryAfterSeconds }
      },
    }
  }

  it('spends a tenth of a second of the rate per call and never serves more than the bucket holds', async () => {
    const clock = { now: 0 }
    const object = fakeObject({ ratePerSecond: 100, burst: 25 }, clock)
    const limiter = new LeasedLimiter(() => clock.now)
    const outcomes = []
    for (let i = 0; i < 30; i++) outcomes.push((await limiter.take('t', object.lease)).allowed)
    expect(outcomes.filter(Boolean)).toHaveLength(25) // the burst, exactly
    expect(object.calls).toEqual([10, 10, 5, 0, 0, 0, 0, 0])
  })

  it('a slow tenant asks per request, exactly as without leases', async () => {
    const clock = { now: 0 }
    const object = fakeObject({ ratePerSecond: 0.01, burst: 2 }, clock)
    const limiter = new LeasedLimiter(() => clock.now)
    const outcomes = []
    for (let i = 0; i < 3; i++) outcomes.push(await limiter.take('t', object.lease))
    expect(outcomes).toEqual([{ allowed: true }, { allowed: true }, { allowed: false, retryAfterSeconds: 100 }])
    expect(object.calls).toEqual([1, 1, 0])
  })

  it('unspent tokens expire with the lease; concurrent requests share one call', async () => {
    const clock = { now: 0 }
    const object = fakeObject({ ratePerSecond: 1000, burst: 1000 }, clock)
    const limiter = new LeasedLimiter(() => clock.now)
    const first = await Promise.all(Array.from({ length: 50 }, () => limiter.take('t', object.lease)))
    expect(first.every((o) => o.allowed)).toBe(true)
    expect(object.calls).toEqual([100])
    clock.now += LEASE_MS
    await limiter.take('t', object.lease)
    expect(object.calls).toEqual([100, 100])
  })

  it('forget drops the lease, so a changed limit applies to the next request', async () => {
    const clock = { now: 0 }
    const object = fakeObject({ ratePerSecond: 1000, burst: 1000 }, clock)
    const limiter = new LeasedLimiter(() => clock.now)
    await limiter.take('t', object.lease)
    limiter.forget('t')
    await limiter.take('t', object.lease)
    expect(object.calls).toEqual([100, 100])
  })
})

describe('leased rate limit under concurrency', () => {
  it('refuses concurrent requests only when the bucket itself is empty, not when shares run out', async () => {
    const clock = { now: 0 }
    const config = { ratePerSecond: 50, burst: 100 }
    let state = fullBucket(config, 0)
    const lease = async (): Promise<LeaseGrant> => {
      const result = takeTokens(config, state, clock.now, leaseSize(config))
      state = result.state
      return { granted: result.granted, retryAfterSeconds: result.retryAfterSeconds }
    }
    const limiter = new LeasedLimiter(() => clock.now)
    const outcomes = await Promise.all(Array.from({ length: 120 }, () => limiter.take('t', lease)))
    expect(outcomes.filter((o) => o.allowed)).toHaveLength(100)
  })
})
