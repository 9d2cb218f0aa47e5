import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/core/digest'
import { call, json } from '../helpers/http'
import { createTenant, type ErrorBody } from '../helpers/tenants'

interface TokenInfo {
  id: string
  tenantId: string
  label?: string
  scopes: string[]
  createdAt: string
  revokedAt?: string
  rotatedFrom?: string
  value?: string
}

describe('POST /v1/tenants', () => {
  it('creates a tenant and returns its token once; D1 holds only the SHA-256', async () => {
    const response = await call('POST', '/v1/tenants', { body: { name: 'Acme', id: 'acme-create', label: 'ci' } })
    expect(response.status).toBe(201)
    const body = await json<{ tenant: Record<string, unknown>; token: TokenInfo; rateLimit: unknown }>(response)
    expect(body.tenant).toEqual({ id: 'acme-create', name: 'Acme', createdAt: expect.any(String), createdBy: 'dev-token' })
    expect(body.token).toMatchObject({ tenantId: 'acme-create', scopes: ['admin', 'agent', 'read'], label: 'ci' })
    expect(body.token.value).toMatch(/^fab_[0-9a-f]{64}$/)
    expect(body.rateLimit).toEqual({ ratePerSecond: 50, burst: 100 })

    const row = await env.DB.prepare('SELECT token_hash FROM tenant_tokens WHERE id = ?').bind(body.token.id).first<{ token_hash: string }>()
    expect(row?.token_hash).toBe(await sha256Hex(body.token.value!))
    const everything = JSON.stringify(await env.DB.prepare('SELECT * FROM tenant_tokens').all())
    expect(everything).not.toContain(body.token.value)

    const whoami = await json(await call('GET', '/v1/whoami', { token: body.token.value! }))
    expect(whoami).toEqual({ tenantId: 'acme-create', scopes: ['admin', 'agent', 'read'], tokenId: body.token.id })
  })

  it('refuses a taken id and the operator tenant id with 409', async () => {
    const { tenant } = await createTenant()
    const taken = await call('POST', '/v1/tenants', { body: { name: 'again', id: tenant.id } })
    expect(taken.status).toBe(409)
    expect((await json<ErrorBody>(taken)).error.code).toBe('CONFLICT')
    const reserved = await call('POST', '/v1/tenants', { body: { name: 'x', id: 'dev' } })
    expect(reserved.status).toBe(409)
    const tokens = await env.DB.prepare('SELECT count(*) AS n FROM tenant_tokens WHERE tenant_id = ?').bind(tenant.id).first<{ n: number }>()
    expect(tokens?.n).toBe(1)
  })

  it('a tenant token, even an admin one, cannot create tenants (403)', async () => {
    const { token } = await createTenant()
    const response = await call('POST', '/v1/tenants', { token: token.value, body: { name: 'sneaky' } })
    expect(response.status).toBe(403)
    expect((await json<ErrorBody>(response)).error.code).toBe('FORBIDDEN')
  })

  it('a bogus token gets 401', async () => {
    const response = await call('GET', '/v1/tenants', { token: 'fab_' + '0'.repeat(64) })
    expect(response.status).toBe(401)
    expect((await json<ErrorBody>(response)).error.code).toBe('UNAUTHORIZED')
  })

  it('validates the body', async () => {
    const response = await call('POST', '/v1/tenants', { body: { name: 'x', id: 'Bad Id!', scopes: ['root'] } })
    expect(response.status).toBe(400)
    const body = await json<ErrorBody>(response)
    expect(body.error.code).toBe('VALIDATION_ERROR')
    expect(body.error.message).toContain('id')
    expect(body.error.message).toContain('scopes')
  })
})

describe('tenant visibility', () => {
  it('a tenant sees itself and answers 404 for another tenant, as for one that does not exist', async () => {
    const a = await createTenant()
    const b = await createTenant()
    const own = await call('GET', `/v1/tenants/${a.tenant.id}`, { token: a.token.value })
    expect(own.status).toBe(200)
    expect(await json(own)).toEqual({ tenant: a.tenant, rateLimit: { ratePerSecond: 50, burst: 100 } })

    for (const path of [`/v1/tenants/${b.tenant.id}`, `/v1/tenants/${b.tenant.id}/tokens`, '/v1/tenants/no-such-tenant']) {
      const response = await call('GET', path, { token: a.token.value })
      expect(response.status, path).toBe(404)
      expect((await json<ErrorBody>(response)).error.code).toBe('NOT_FOUND')
    }
    const list = await json<{ tenants: Array<{ id: string }> }>(await call('GET', '/v1/tenants', { token: a.token.value }))
    expect(list.tenants.map((t) => t.id)).toEqual([a.tenant.id])
  })

  it('the operator lists every tenant', async () => {
    const a = await createTenant()
    const list = await json<{ tenants: Array<{ id: string }> }>(await call('GET', '/v1/tenants'))
    expect(list.tenants.map((t) => t.id)).toContain(a.tenant.id)
  })
})

describe('tokens: list, issue, rotate, revoke', () => {
  it('lists tokens by id with scopes and dates, never a value or hash', async () => {
    const { tenant, token } = await createTenant({ label: 'first' })
    const response = await call('GET', `/v1/tenants/${tenant.id}/tokens`, { token: token.value })
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(text).not.toContain(token.value)
    expect(text).not.toContain(await sha256Hex(token.value))
    expect(JSON.parse(text)).toEqual({
      tokens: [{ id: token.id, tenantId: tenant.id, label: 'first', scopes: ['admin', 'agent', 'read'], createdAt: expect.any(String), createdBy: 'dev-token' }],
    })
  })

  it('issues a narrower token; that token cannot manage tokens or grant more than it has', async () => {
    const { tenant, token } = await createTenant()
    const issued = await call('POST', `/v1/tenants/${tenant.id}/tokens`, { token: token.value, body: { scopes: ['read'], label: 'dashboards' } })
    expect(issued.status).toBe(201)
    const reader = await json<TokenInfo>(issued)
    expect(reader).toMatchObject({ tenantId: tenant.id, scopes: ['read'], label: 'dashboards', createdBy: token.id })

    const list = await call('GET', `/v1/tenants/${tenant.id}/tokens`, { token: reader.value! })
    expect(list.status).toBe(403)
    const grant = await call('POST', `/v1/tenants/${tenant.id}/tokens`, { token: reader.value!, body: { scopes: ['admin'] } })
    expect(grant.status).toBe(403)
  })

  it('a tenant admin cannot grant scopes it lacks', async () => {
    const { tenant, token } = await createTenant({ scopes: ['admin', 'read'] })
    const response = await call('POST', `/v1/tenants/${tenant.id}/tokens`, { token: token.value, body: { scopes: ['agent'] } })
    expect(response.status).toBe(403)
    expect((await json<ErrorBody>(response)).error.message).toContain('agent')
  })

  it('rotation revokes the old token and returns a working new one with the same scopes and label', async () => {
    const { tenant, token } = await createTenant({ label: 'deploy' })
    const response = await call('POST', `/v1/tenants/${tenant.id}/tokens/${token.id}/rotate`, { token: token.value })
    expect(response.status).toBe(201)
    const fresh = await json<TokenInfo>(response)
    expect(fresh).toMatchObject({ tenantId: tenant.id, scopes: ['admin', 'agent', 'read'], label: 'deploy', rotatedFrom: token.id })
    expect(fresh.value).not.toBe(token.value)
    expect((await call('GET', '/v1/whoami', { token: token.value })).status).toBe(401)
    expect((await call('GET', '/v1/whoami', { token: fresh.value! })).status).toBe(200)
  })

  it('revocation stops the token at once; revoking again or another tenant’s token is 404', async () => {
    const a = await createTenant()
    const b = await createTenant()
    const extra = await json<TokenInfo>(await call('POST', `/v1/tenants/${a.tenant.id}/tokens`, { token: a.token.value, body: { scopes: ['read'] } }))
    const revoked = await call('DELETE', `/v1/tenants/${a.tenant.id}/tokens/${extra.id}`, { token: a.token.value })
    expect(revoked.status).toBe(200)
    expect(await json<TokenInfo>(revoked)).toMatchObject({ id: extra.id, revokedAt: expect.any(String) })
    expect((await call('GET', '/v1/whoami', { token: extra.value! })).status).toBe(401)
    expect((await call('DELETE', `/v1/tenants/${a.tenant.id}/tokens/${extra.id}`, { token: a.token.value })).status).toBe(404)
    // b's token id under a's tenant path: not found, and b's token keeps working.
    expect((await call('DELETE', `/v1/tenants/${a.tenant.id}/tokens/${b.token.id}`, { token: a.token.value })).status).toBe(404)
    expect((await call('GET', '/v1/whoami', { token: b.token.value })).status).toBe(200)
  })
})

describe('audit of admin actions', () => {
  it('writes an admin.action WAL event for each change, with the actor and no token value', async () => {
    const { tenant, token } = await createTenant()
    const issued = await json<TokenInfo>(await call('POST', `/v1/tenants/${tenant.id}/tokens`, { token: token.value, body: { scopes: ['read'] } }))
    await call('DELETE', `/v1/tenants/${tenant.id}/tokens/${issued.id}`, { token: token.value })
    const { results } = await env.DB.prepare(`SELECT type, tenant_id, seq, trace_id, data FROM wal_events WHERE tenant_id = ? ORDER BY id`)
      .bind(tenant.id)
      .all<{ type: string; tenant_id: string; seq: number; trace_id: string; data: string }>()
    expect(results.map((r) => [r.type, r.seq, (JSON.parse(r.data) as { action: string }).action])).toEqual([
      ['admin.action', 1, 'tenant.create'],
      ['admin.action', 1, 'token.issue'],
      ['admin.action', 1, 'token.revoke'],
    ])
    expect(JSON.parse(results[0]!.data)).toMatchObject({ actor: { tenantId: 'dev', tokenId: 'dev-token' }, target: { tenantId: tenant.id, tokenId: token.id } })
    expect(JSON.parse(results[2]!.data)).toMatchObject({ actor: { tenantId: tenant.id, tokenId: token.id }, target: { tokenId: issued.id } })
    for (const r of results) expect(r.trace_id).toMatch(/^[0-9a-f]{32}$/)
    const all = JSON.stringify(results)
    expect(all).not.toContain(token.value)
    expect(all).not.toContain(issued.value)
    // The tenant reads the same trail through the API.
    const page = await json<{ events: Array<{ type: string; data: { action: string } }> }>(
      await call('GET', '/v1/wal?eventType=admin.action', { token: token.value }),
    )
    expect(page.events.map((e) => [e.type, e.data.action])).toEqual([
      ['admin.action', 'tenant.create'],
      ['admin.action', 'token.issue'],
      ['admin.action', 'token.revoke'],
    ])
    // The operator's own WAL records the tenant creation it did.
    const operatorSide = await env.DB.prepare(`SELECT count(*) AS n FROM wal_events WHERE tenant_id = 'dev' AND type = 'admin.action' AND data LIKE ?`)
      .bind(`%${tenant.id}%`)
      .first<{ n: number }>()
    expect(operatorSide?.n).toBe(1)
  })
})
