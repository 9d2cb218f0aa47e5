/** A fresh tenant with its own admin token, so HTTP tests never share policies, switches or WAL rows. */
import { call, json } from '../helpers/http'

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

export async function newTenant(scopes: string[] = ['admin', 'agent', 'read']): Promise<TenantClient> {
  const response = await call('POST', '/v1/tenants', { body: { name: 'governance test', scopes } })
  if (response.status !== 201) throw new Error(`creating a tenant failed: ${response.status} ${await response.text()}`)
  const created = await json<{ tenant: { id: string }; token: { value: string } }>(response)
  return client(created.tenant.id, created.token.value)
}

/** Another token of the same tenant, with fewer scopes. */
export async function tokenWith(owner: TenantClient, scopes: string[]): Promise<TenantClient> {
  const { status, body } = await owner.json<{ value: string }>('POST', `/v1/tenants/${owner.tenantId}/tokens`, { scopes })
  if (status !== 201) throw new Error(`issuing a token failed: ${status} ${JSON.stringify(body)}`)
  return client(owner.tenantId, body.value)
}
