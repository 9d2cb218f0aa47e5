/**
 * Resource ceilings (issue 16, finding 2): a tenant's callers cannot ask for
 * more memory, cores or task duration than the ceilings an operator set
 * (defaults at most the seed-000 table); the refusal names the ceiling.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CEILINGS } from '../../src/agent/ceilings'
import { call, json } from '../helpers/http'
import { newTenant, tokenWith, type ErrorBody, type TenantClient } from '../helpers/tenants'

let admin: TenantClient
let agent: TenantClient

beforeAll(async () => {
  admin = await newTenant()
  await admin.json('PUT', '/v1/policy/default', { effect: 'allow' })
  agent = await tokenWith(admin, ['agent', 'read'])
})

describe('ceilings', () => {
  it('an agent token asking for 8192 MB (the finding) is refused with CEILING_EXCEEDED naming memoryMb', async () => {
    const { status, body } = await agent.json<ErrorBody>('POST', '/v1/agents', { id: 'greedy', isolation: { memoryMb: 8192 } })
    expect(status).toBe(403)
    expect(body.error).toMatchObject({ code: 'CEILING_EXCEEDED', details: { ceiling: 'memoryMb', limit: DEFAULT_CEILINGS.memoryMb, asked: 8192 } })
    expect(body.error.message).toContain("memoryMb 8192 is above this tenant's ceiling of 2048")
  })

  it('cores and task duration have ceilings too', async () => {
    const cores = await agent.json<ErrorBody>('POST', '/v1/agents', { id: 'cores', isolation: { cpuCores: 4 } })
    expect(cores.body.error.details?.ceiling).toBe('cpuCores')
    expect((await agent.call('POST', '/v1/agents', { id: 'worker', heartbeatIntervalSeconds: 0 })).status).toBe(201)
    const long = await agent.json<ErrorBody>('POST', '/v1/agents/worker/tasks', { command: 'true', timeoutSeconds: 7200 })
    expect([long.status, long.body.error.code, long.body.error.details?.ceiling]).toEqual([403, 'CEILING_EXCEEDED', 'durationSeconds'])
    expect((await agent.call('POST', '/v1/agents/worker/tasks', { command: 'true' })).status).toBe(201)
  })

  it('only an operator sets them; the tenant reads its own', async () => {
    const own = await admin.json<{ error?: { code: string } }>('PUT', `/v1/tenants/${admin.tenantId}/ceilings`, { memoryMb: 8192, cpuCores: 4, durationSeconds: 14_400 })
    expect([own.status, own.body.error?.code]).toEqual([403, 'FORBIDDEN'])
    const set = await call('PUT', `/v1/tenants/${admin.tenantId}/ceilings`, { body: { memoryMb: 256, cpuCores: 1, durationSeconds: 60 } })
    expect(set.status).toBe(200)
    expect(await json(await admin.call('GET', `/v1/tenants/${admin.tenantId}/ceilings`))).toEqual({ memoryMb: 256, cpuCores: 1, durationSeconds: 60, diskMb: 1024, cpuSeconds: 60, processes: 128 })
    const refused = await agent.json<ErrorBody>('POST', '/v1/agents', { id: 'after', isolation: { memoryMb: 512 } })
    expect(refused.body.error.details).toEqual({ ceiling: 'memoryMb', limit: 256, asked: 512 })
  })

  it('a lowered ceiling binds a live agent at its next task: the write drops the ceilings it holds', async () => {
    const tenant = await newTenant()
    await tenant.json('PUT', '/v1/policy/default', { effect: 'allow' })
    expect((await tenant.call('POST', '/v1/agents', { id: 'held', heartbeatIntervalSeconds: 0 })).status).toBe(201)
    // Admitted under the defaults (3600 s): the agent now holds them.
    expect((await tenant.call('POST', '/v1/agents/held/tasks', { command: 'true', timeoutSeconds: 120 })).status).toBe(201)
    const set = await call('PUT', `/v1/tenants/${tenant.tenantId}/ceilings`, { body: { memoryMb: 256, cpuCores: 1, durationSeconds: 60 } })
    expect(set.status).toBe(200)
    const refused = await tenant.json<ErrorBody>('POST', '/v1/agents/held/tasks', { command: 'true', timeoutSeconds: 120 })
    expect([refused.status, refused.body.error.details]).toEqual([403, { ceiling: 'durationSeconds', limit: 60, asked: 120 }])
  })

  it('the disk quota, CPU seconds and processes are ceilings too: the quota refuses a write over it', async () => {
    const set = await call('PUT', `/v1/tenants/${admin.tenantId}/ceilings`, { body: { memoryMb: 256, cpuCores: 1, durationSeconds: 60, diskMb: 1, cpuSeconds: 5, processes: 16 } })
    expect(set.status).toBe(200)
    const put = (path: string, size: number) => call('PUT', path, { token: admin.token, rawBody: new Uint8Array(size), headers: { 'content-type': 'application/octet-stream' } })
    expect((await put('/v1/fs/quota/fits.bin', 512 * 1024)).status).toBeLessThan(300)
    const over = await put('/v1/fs/quota/over.bin', 600 * 1024)
    const body = await json<ErrorBody>(over)
    expect([over.status, body.error.code]).toEqual([413, 'DISK_QUOTA_EXCEEDED'])
    expect(body.error.message).toContain('over its disk quota of 1048576 bytes (ceiling diskMb)')
  })

  it('an operator cannot set a ceiling above the seed-000 table', async () => {
    const response = await call('PUT', `/v1/tenants/${admin.tenantId}/ceilings`, { body: { memoryMb: 16_384, cpuCores: 1, durationSeconds: 60 } })
    expect(response.status).toBe(400)
  })
})
