/** Creating tenants through the real API, for the security tests. */
import { expect } from 'vitest'
import { call, json } from '../helpers/http'

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
export async function allowEverything(token: string): Promise<void> {
  const response = await call('PUT', '/v1/policy/default', { token, body: { effect: 'allow' } })
  expect(response.status).toBe(200)
}
