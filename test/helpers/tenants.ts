/** Creating tenants through the real API (POST /v1/tenants), for the HTTP tests of every area. */
import { expect } from 'vitest'
import { call, json } from './http'

export interface CreatedTenant {
  tenant: { id: string; name: string; createdAt: string; createdBy?: string }
  token: { id: string; value: string; scopes: string[]; tenantId: string }
  rateLimit: { ratePerSecond: number; burst: number }
}

let counter = 0

/** A fresh tenant with a unique id (tests share one D1 per file). */
export async function createTenant(body: Record<string, unknown> = {}): Promise<CreatedTenant> {
  counter++
  const id = `t-${Date.now().toString(36)}-${counter}-${crypto.randomUUID().slice(0, 8)}`
  const response = await call('POST', '/v1/tenants', { body: { name: `tenant ${id}`, id, ...body } })
  expect(response.status).toBe(201)
  return json<CreatedTenant>(response)
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> }
}

/** New tenants deny by default; the tests that run things open their tenant up first. */
async function allowEverything(token: string): Promise<void> {
  const response = await call('PUT', '/v1/policy/default', { token, body: { effect: 'allow' } })
  expect(response.status).toBe(200)
}

/** A fresh tenant whose policy allows everything: the usual start of a test that runs things. */
export async function openTenant(body: Record<string, unknown> = {}): Promise<CreatedTenant> {
  const created = await createTenant(body)
  await allowEverything(created.token.value)
  return created
}

/** A tenant's admin (or narrower) token bound to `call`, so a test speaks as that tenant without repeating it. */
export interface TenantClient {
  tenantId: string
  token: string
  call(method: string, path: string, body?: unknown): Promise<Response>
  json<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>
}

function client(tenantId: string, token: string): TenantClient {
  const send = (method: string, path: string, body?: unknown) => call(method, path, { token, ...(body !== undefined ? { body } : {}) })
  return {
    tenantId,
    token,
    call: send,
    async json<T>(method: string, path: string, body?: unknown) {
      const response = await send(method, path, body)
      return { status: response.status, body: await json<T>(response) }
    },
  }
}

/** A fresh tenant with its own token, so HTTP tests never share policies, switches or WAL rows. */
export async function newTenant(scopes: string[] = ['admin', 'agent', 'read']): Promise<TenantClient> {
  const created = await createTenant({ scopes })
  return client(created.tenant.id, created.token.value)
}

/** Another token of the same tenant, with fewer scopes. */
export async function tokenWith(owner: TenantClient, scopes: string[]): Promise<TenantClient> {
  const { status, body } = await owner.json<{ value: string }>('POST', `/v1/tenants/${owner.tenantId}/tokens`, { scopes })
  if (status !== 201) throw new Error(`issuing a token failed: ${status} ${JSON.stringify(body)}`)
  return client(owner.tenantId, body.value)
}
