/**
 * Usage reports split spend by tier (issue 14, deliverable 4): each attempt's
 * compute seconds are counted under the tier that ran it, priced by the tier
 * cost model, and the agent's usage report (RPC and HTTP) shows the split.
 */
import { describe, expect, it } from 'vitest'
import { unwrap } from '../../src/agent/rpc-result'
import { DEFAULT_COST_MODEL, measuredUsd } from '../../src/execution/route-plan/cost-model'
import { call, json } from '../helpers/http'
import { openTenant } from '../helpers/tenants'
import { finished, spawnAgent, submit } from './helpers'

describe('usage split by tier', () => {
  it('counts each attempt under its tier with the cost the tier model gives its compute time', async () => {
    const agent = await spawnAgent()
    const one = await finished(agent, await submit(agent, { command: 'echo a' }))
    const two = await finished(agent, await submit(agent, { command: 'echo b' }))
    expect([one.result?.tier, two.result?.tier]).toEqual([1, 1])
    const report = unwrap(await agent.stub.budgetReport(agent.caller))
    const tier1 = report.byTier?.['1']
    expect(Object.keys(report.byTier ?? {})).toEqual(['1'])
    expect(tier1?.attempts).toBe(2)
    // The split adds up to what the budget charged, and is priced by the tier-1 model (CPU time).
    expect(tier1?.computeSeconds).toBeCloseTo(report.used.computeSeconds, 9)
    expect(tier1?.costUsd).toBeCloseTo(measuredUsd(DEFAULT_COST_MODEL, 1, tier1?.computeSeconds ?? 0), 15)
  })

  it('shows the split in GET /v1/budgets/agent:<id>/usage', async () => {
    const token = (await openTenant()).token.value
    expect((await call('POST', '/v1/exec', { token, body: { command: 'echo split' } })).status).toBe(200)
    const usage = await json<{ byTier: Record<string, { attempts: number; computeSeconds: number; costUsd: number }> }>(
      await call('GET', '/v1/budgets/agent:default/usage', { token }),
    )
    expect(usage.byTier['1']?.attempts).toBe(1)
    expect(usage.byTier['1']?.computeSeconds).toBeGreaterThan(0)
  })
})
