/**
 * Large inputs (issue 16, finding 5): stdin, args and env over the spill
 * threshold are stored in R2 and the task row keeps a data reference; the run
 * reads them back, so 8 MiB of stdin is a 200, not SQLITE_TOOBIG. Fields that
 * stay inline are bounded and refused with 413 LIMIT_EXCEEDED.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { SPILL_THRESHOLD_BYTES } from '../../src/agent/spill'
import { newTenant, type ErrorBody, type TenantClient } from '../helpers/tenants'

let t: TenantClient

beforeAll(async () => {
  t = await newTenant()
  await t.json('PUT', '/v1/policy/default', { effect: 'allow' })
})

describe('large inputs', () => {
  it('POST /v1/exec with 8 MiB of stdin runs (wc -c counts every byte)', async () => {
    const stdin = 'x'.repeat(8 * 1024 * 1024)
    const { status, body } = await t.json<{ ok: boolean; stdout: string }>('POST', '/v1/exec', { operation: 'wc', args: ['-c'], stdin })
    expect(status).toBe(200)
    expect(body).toMatchObject({ ok: true, stdout: `${8 * 1024 * 1024}\n` })
  })

  it('a task with 9 MB of args keeps a data reference in its row, runs with the real args, and its 9 MB of output is a reference too', async () => {
    const arg = 'y'.repeat(9_000_000)
    const submitted = await t.json<{ taskId: string }>('POST', '/v1/agents/default/tasks', { operation: 'echo', args: [arg] })
    expect(submitted.status).toBe(201)
    const view = await t.json<{ status: string; work: { args: unknown[] }; spilledInputs?: { args?: { ref: string; bytes: number } }; result?: { stdout: string; truncated?: boolean; outputRefs?: { stdout?: { bytes: number } } } }>(
      'GET', `/v1/tasks/${submitted.body.taskId}?wait=20`,
    )
    expect(view.body.status).toBe('completed')
    expect(view.body.work.args).toEqual([])
    expect(view.body.spilledInputs?.args?.ref).toMatch(new RegExp(`^blob:${t.tenantId}/[0-9a-f]{64}$`))
    expect(view.body.spilledInputs?.args?.bytes).toBeGreaterThan(SPILL_THRESHOLD_BYTES)
    const stored = await env.FILES.get(`blobs/${view.body.spilledInputs?.args?.ref.slice(`blob:`.length)}`)
    expect(JSON.parse((await stored?.text()) ?? 'null')).toEqual([arg])
    // Its 9 MB of output is a data reference too, read back whole (src/agent/output-spill.ts).
    expect(view.body.result?.stdout).toBe(`${arg}\n`)
    expect(view.body.result?.truncated).toBeUndefined()
    expect(view.body.result?.outputRefs?.stdout?.bytes).toBe(9_000_001)
  })

  it('a payload or metadata too big to keep inline is 413 LIMIT_EXCEEDED', async () => {
    const payload = await t.json<ErrorBody>('POST', '/v1/agents/default/tasks', { command: 'true', payload: { blob: 'z'.repeat(300 * 1024) } })
    expect([payload.status, payload.body.error.code]).toEqual([413, 'LIMIT_EXCEEDED'])
    const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']))
    const many = await t.json<ErrorBody>('POST', '/v1/agents/default/tasks', { command: 'true', metadata })
    expect([many.status, many.body.error.code]).toEqual([413, 'LIMIT_EXCEEDED'])
  })
})
