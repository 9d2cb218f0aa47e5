import { describe, expect, it } from 'vitest'
import { call, json } from '../helpers/http'
import { openTenant } from '../helpers/tenants'

interface WalPage {
  events: Array<{ executionId: string; seq: number; type: string; traceId: string }>
}

describe('trace propagation', () => {
  it('a traceparent sent with an exec is in the result, the response header and every WAL event of that execution', async () => {
    const { token } = await openTenant()
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
    const response = await call('POST', '/v1/exec', {
      token: token.value,
      body: { command: 'echo traced' },
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('traceparent')).toBe(`00-${traceId}-00f067aa0ba902b7-01`)
    const result = await json<{ executionId: string; traceId: string }>(response)
    expect(result.traceId).toBe(traceId)

    const page = await json<WalPage>(await call('GET', `/v1/wal?executionId=${result.executionId}`, { token: token.value }))
    expect(page.events.length).toBeGreaterThan(1)
    expect(page.events.map((e) => e.seq)).toEqual(page.events.map((_, i) => i + 1))
    expect(new Set(page.events.map((e) => e.traceId))).toEqual(new Set([traceId]))
  })

  it('without a traceparent a new trace starts and is still carried through', async () => {
    const { token } = await openTenant()
    const response = await call('POST', '/v1/exec', { token: token.value, body: { command: 'echo untraced' } })
    const result = await json<{ executionId: string; traceId: string }>(response)
    expect(result.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(response.headers.get('traceparent')).toContain(result.traceId)
    const page = await json<WalPage>(await call('GET', `/v1/wal?executionId=${result.executionId}`, { token: token.value }))
    expect(new Set(page.events.map((e) => e.traceId))).toEqual(new Set([result.traceId]))
  })
})
