/** Scopes per route: read reads, agent submits and writes, admin administers; each refusal is 403 FORBIDDEN. */
import { beforeAll, describe, expect, it } from 'vitest'
import { call, json } from '../helpers/http'
import { openTenant, type CreatedTenant } from '../helpers/tenants'

let tenant: CreatedTenant
const tokens: Record<'read' | 'agent', string> = { read: '', agent: '' }

beforeAll(async () => {
  tenant = await openTenant()
  for (const scope of ['read', 'agent'] as const) {
    const issued = await call('POST', `/v1/tenants/${tenant.tenant.id}/tokens`, { token: tenant.token.value, body: { scopes: [scope] } })
    tokens[scope] = (await json<{ value: string }>(issued)).value
  }
})

const cases: Array<[scope: 'read' | 'agent', method: string, path: string, body: unknown, allowed: boolean]> = [
  ['read', 'GET', '/metrics', undefined, true],
  ['read', 'GET', '/v1/wal', undefined, true],
  ['read', 'GET', '/v1/fs/', undefined, true],
  ['read', 'POST', '/v1/exec', { command: 'echo hi' }, false],
  ['read', 'PUT', '/v1/fs/x.txt', 'x', false],
  ['read', 'POST', '/v1/agents', { id: 'r1' }, false],
  ['agent', 'POST', '/v1/exec', { command: 'echo hi' }, true],
  ['agent', 'PUT', '/v1/fs/x.txt', 'x', true],
  ['agent', 'GET', '/metrics', undefined, false],
  ['agent', 'PUT', '/v1/policies/p', { rules: [] }, false],
  ['agent', 'POST', '/v1/killswitch', { scope: 'tenant', reason: 'x' }, false],
  ['agent', 'POST', '/v1/tenants', { name: 'x' }, false],
]

describe('scopes', () => {
  it.each(cases)('%s token: %s %s → allowed %s', async (scope, method, path, body, allowed) => {
    const options = typeof body === 'string' ? { rawBody: body, headers: { 'content-type': 'text/plain' } } : body === undefined ? {} : { body }
    const response = await call(method, path, { token: tokens[scope], ...options })
    if (allowed) expect(response.status, await response.clone().text()).toBeLessThan(300)
    else {
      expect(response.status).toBe(403)
      expect((await json<{ error: { code: string } }>(response)).error.code).toBe('FORBIDDEN')
    }
  })
})
