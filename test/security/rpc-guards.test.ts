/** The RPC session enforces scopes and the rate limit like the HTTP routes (through a real service binding). */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { call, json } from '../helpers/http'
import { createTenant } from '../helpers/tenants'

interface RpcClient {
  tryCall(token: string, method: string, ...args: unknown[]): Promise<{ ok: boolean; message?: string; value?: unknown }>
}

const client = () => env.RPC_CLIENT as unknown as RpcClient

describe('RPC session guards', () => {
  it('a read-only token may list but not write or exec', async () => {
    const { tenant, token } = await createTenant()
    const reader = await json<{ value: string }>(await call('POST', `/v1/tenants/${tenant.id}/tokens`, { token: token.value, body: { scopes: ['read'] } }))
    expect((await client().tryCall(reader.value, 'listDir', '/')).ok).toBe(true)
    expect(await client().tryCall(reader.value, 'writeFile', '/x.txt', 'x')).toEqual({ ok: false, message: "FORBIDDEN: this token lacks the 'agent' scope" })
    expect(await client().tryCall(reader.value, 'exec', { command: 'echo hi' })).toEqual({ ok: false, message: "FORBIDDEN: this token lacks the 'agent' scope" })
  })

  it('calls count against the tenant rate limit', async () => {
    const { token } = await createTenant({ rateLimit: { ratePerSecond: 0.01, burst: 1 } })
    expect((await client().tryCall(token.value, 'listDir', '/')).ok).toBe(true)
    const refused = await client().tryCall(token.value, 'listDir', '/')
    expect(refused.ok).toBe(false)
    expect(refused.message).toMatch(/^RATE_LIMITED: this tenant's request rate limit is reached; retry after \d+ s$/)
  })
})
