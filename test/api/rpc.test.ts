import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { DEV_TOKEN } from '../helpers/http'

interface RpcClient {
  execAs(token: string, request: unknown, traceparent?: string): Promise<Record<string, unknown>>
  roundTripFile(token: string, path: string, data: string): Promise<{ text: string; byteLength: number; listing: unknown[]; tenantId: string }>
  tryCall(token: string, method: string, ...args: unknown[]): Promise<{ ok: boolean; message?: string; value?: unknown }>
}

const client = () => env.RPC_CLIENT as unknown as RpcClient

describe('FabricEntrypoint over a real service binding from a second Worker', () => {
  it('writes, reads, lists and removes a file for the connected tenant', async () => {
    const result = await client().roundTripFile(DEV_TOKEN, '/rpc-roundtrip/hello.txt', 'héllo')
    expect(result).toEqual({
      text: 'héllo',
      byteLength: 6,
      listing: [{ name: 'hello.txt', type: 'file' }],
      tenantId: 'dev',
    })
  })

  it('refuses to connect with a bad token', async () => {
    const result = await client().tryCall('wrong-token', 'listDir', '/')
    expect(result.ok).toBe(false)
    expect(result.message).toBe('UNAUTHORIZED: unknown or revoked token')
  })

  it('validates exec input with the HTTP schema and reports the code', async () => {
    const result = await client().tryCall(DEV_TOKEN, 'exec', { command: 'ls', operation: 'ls' })
    expect(result.ok).toBe(false)
    expect(result.message).toMatch(/^VALIDATION_ERROR: invalid exec request: .*exactly one of "command"/)
  })

  it('confines paths exactly like HTTP', async () => {
    const result = await client().tryCall(DEV_TOKEN, 'readFile', '/../../etc/passwd')
    expect(result.ok).toBe(false)
    expect(result.message).toMatch(/^EACCES: /)
  })

  it('continues the caller trace through exec', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
    const result = await client().execAs(DEV_TOKEN, { operation: 'no-such-op-xyz', args: [] }, `00-${traceId}-00f067aa0ba902b7-01`)
    expect(result.traceId).toBe(traceId)
  })
})
