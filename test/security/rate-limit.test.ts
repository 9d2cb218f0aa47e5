import { describe, expect, it } from 'vitest'
import { fullBucket, takeToken } from '../../src/api/rate-limit/token-bucket'
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
