import { describe, expect, it } from 'vitest'
import { call, json } from '../helpers/http'
import { openTenant } from '../helpers/tenants'

interface Result {
  ok: boolean
  tier: number
  error?: { code: string }
}

function sample(text: string, series: string): string | undefined {
  return text.split('\n').find((l) => l.startsWith(`${series} `))
}

describe('execution metrics from the tier router', () => {
  it('counts executions by tier and outcome, latency per tier, and errors by code', async () => {
    const { tenant, token } = await openTenant()
    // An explicit tier turns fallback off, so each exec is exactly one run on tier 1.
    const results: Result[] = []
    for (const args of [['/no/such/file'], ['/also/missing']]) {
      const response = await call('POST', '/v1/exec', { token: token.value, body: { operation: 'cat', args, tier: 1 } })
      results.push(await json<Result>(response))
    }
    expect(results.map((r) => [r.ok, r.tier])).toEqual([
      [false, 1],
      [false, 1],
    ])
    const code = results[0]!.error!.code
    expect(results[1]!.error!.code).toBe(code)

    const text = await (await call('GET', '/metrics', { token: token.value })).text()
    const t = `tenant_id="${tenant.id}"`
    expect(sample(text, `agent_fabric_executions_total{${t},status="error",tier="1"}`)).toBe(`agent_fabric_executions_total{${t},status="error",tier="1"} 2`)
    expect(sample(text, `agent_fabric_execution_errors_total{${t},code="${code}",tier="1"}`)).toBe(
      `agent_fabric_execution_errors_total{${t},code="${code}",tier="1"} 2`,
    )
    expect(sample(text, `agent_fabric_execution_duration_seconds_count{${t},tier="1"}`)).toBe(`agent_fabric_execution_duration_seconds_count{${t},tier="1"} 2`)
    expect(sample(text, `agent_fabric_execution_duration_seconds_bucket{${t},tier="1",le="+Inf"}`)).toBe(
      `agent_fabric_execution_duration_seconds_bucket{${t},tier="1",le="+Inf"} 2`,
    )
    expect(text).not.toContain(`agent_fabric_executions_total{${t},status="ok"`)
  })

  it('counts the tier-1 stages of a command line that run in process over streams, one run each', async () => {
    const { tenant, token } = await openTenant()
    const response = await call('POST', '/v1/exec', { token: token.value, body: { command: 'seq 1 5 | wc -l' } })
    expect(await json<Result & { stdout: string }>(response)).toMatchObject({ ok: true, tier: 1, stdout: '5\n' })
    const text = await (await call('GET', '/metrics', { token: token.value })).text()
    const t = `tenant_id="${tenant.id}"`
    expect(sample(text, `agent_fabric_executions_total{${t},status="ok",tier="1"}`)).toBe(`agent_fabric_executions_total{${t},status="ok",tier="1"} 2`)
    expect(sample(text, `agent_fabric_execution_duration_seconds_count{${t},tier="1"}`)).toBe(`agent_fabric_execution_duration_seconds_count{${t},tier="1"} 2`)
  })
})
