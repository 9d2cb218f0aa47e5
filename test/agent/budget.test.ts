import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ledgerStub } from '../../src/agent/budget/ledgers'
import { unwrap } from '../../src/agent/rpc-result'
import { eventMatching, spawnAgent, START, submit } from './helpers'

const DAY = 86_400_000
const tokens = (n: number) => ({ tokens: n, costUsd: 0, computeSeconds: 0 })

describe('agent budgets', () => {
  it('alerts at the soft threshold, then refuses new tasks with BUDGET_EXCEEDED at the hard limit', async () => {
    const agent = await spawnAgent({ budget: { maxTokensPerDay: 1000, alertThresholdPercent: 80 } })
    unwrap(await agent.stub.recordUsage(agent.caller, tokens(799)))
    await submit(agent, { command: 'echo under' })
    unwrap(await agent.stub.recordUsage(agent.caller, tokens(1)))
    const alert = await eventMatching(agent, (e) => e.type === 'budget.alert')
    expect(alert.data).toEqual({ entity: 'agent:agent-1', dimension: 'tokens', level: 'soft', used: 800, allowance: 1000, percent: 80 })
    await submit(agent, { command: 'echo still under' })
    unwrap(await agent.stub.recordUsage(agent.caller, tokens(200)))
    const exceeded = await eventMatching(agent, (e) => e.type === 'budget.exceeded')
    expect(exceeded.data).toMatchObject({ dimension: 'tokens', level: 'hard', used: 1000, allowance: 1000 })
    const refused = await agent.stub.submitTask(agent.caller, { command: 'echo over' })
    expect(refused.ok ? 'ok' : [refused.error.code, refused.error.detailsJson && JSON.parse(refused.error.detailsJson)]).toEqual([
      'BUDGET_EXCEEDED',
      { entity: 'agent:agent-1', dimension: 'tokens', used: 1000, allowance: 1000 },
    ])
  })

  it('resets at the next UTC day: the refused agent takes tasks again and the report starts from zero', async () => {
    const agent = await spawnAgent({ budget: { maxTokensPerDay: 100 } })
    unwrap(await agent.stub.recordUsage(agent.caller, tokens(150)))
    expect((await agent.stub.submitTask(agent.caller, { command: 'echo x' })).ok).toBe(false)
    agent.clock.advance(DAY)
    await submit(agent, { command: 'echo next day' })
    const report = unwrap(await agent.stub.budgetReport(agent.caller))
    expect([report.period, report.used.tokens, report.allowance.tokens, report.carriedOver.tokens]).toEqual(['2100-01-02', 0, 100, 0])
    expect(report.history.map((day) => [day.period, day.used.tokens])).toEqual([
      ['2100-01-02', 0],
      ['2100-01-01', 150],
    ])
  })

  it('carries the unused part of a day over to the next, capped at one day\'s limit', async () => {
    const agent = await spawnAgent({ budget: { maxTokensPerDay: 1000, period: 'carryover' } })
    unwrap(await agent.stub.recordUsage(agent.caller, tokens(400)))
    agent.clock.advance(DAY)
    let report = unwrap(await agent.stub.budgetReport(agent.caller))
    expect([report.carriedOver.tokens, report.allowance.tokens]).toEqual([600, 1600])
    unwrap(await agent.stub.recordUsage(agent.caller, tokens(1500)))
    await submit(agent, { command: 'echo within the carried allowance' })
    agent.clock.advance(2 * DAY)
    report = unwrap(await agent.stub.budgetReport(agent.caller))
    expect([report.carriedOver.tokens, report.allowance.tokens]).toEqual([1000, 2000])
  })

  it('projects the day\'s usage from the rate so far and says when it runs out', async () => {
    const agent = await spawnAgent({ budget: { maxTokensPerDay: 1000 } })
    // START is 12:00 UTC: half the day gone.
    const report = unwrap(await agent.stub.recordUsage(agent.caller, tokens(600)))
    expect(report.projection.endOfPeriod.tokens).toBeCloseTo(1200, 6)
    expect(report.projection.exceeds).toEqual(['tokens'])
    expect(report.projection.exhaustedAt.tokens).toBe(new Date(START + 8 * 3_600_000).toISOString())
    expect(report.ratio.tokens).toBe(0.6)
  })
})

describe('tenant-wide budgets across agents', () => {
  it('holds one tenant limit across two agents that lease from the tenant ledger', async () => {
    const first = await spawnAgent({ id: 'first' })
    const second = await spawnAgent({ id: 'second' }, first.tenantId)
    const ledger = ledgerStub(env, first.tenantId, { kind: 'tenant', id: first.tenantId })
    await ledger.configure({
      tenantId: first.tenantId,
      entity: `tenant:${first.tenantId}`,
      limits: { max: { tokens: 1000 }, alertThresholdPercent: 80, period: 'reset' },
    })
    unwrap(await first.stub.recordUsage(first.caller, tokens(600)))
    await submit(first, { command: 'echo first' })
    unwrap(await second.stub.recordUsage(second.caller, tokens(600)))
    const secondRefused = await second.stub.submitTask(second.caller, { command: 'echo second' })
    const firstRefused = await first.stub.submitTask(first.caller, { command: 'echo first again' })
    for (const refused of [secondRefused, firstRefused]) {
      expect(refused.ok ? 'ok' : [refused.error.code, JSON.parse(refused.error.detailsJson ?? '{}').entity]).toEqual([
        'BUDGET_EXCEEDED',
        `tenant:${first.tenantId}`,
      ])
    }
    expect((await ledger.report(`tenant:${first.tenantId}`)).used.tokens).toBe(1200)
  })

  it('never leases more than is left: the sum of live leases stays within the limit', async () => {
    const tenantId = `tnt-ledger-${crypto.randomUUID()}`
    const ledger = ledgerStub(env, tenantId, { kind: 'tenant', id: tenantId })
    await ledger.configure({ tenantId, entity: `tenant:${tenantId}`, limits: { max: { costUsd: 10 }, alertThresholdPercent: 80, period: 'reset' } })
    const grants: number[] = []
    for (let holder = 0; holder < 12; holder++) {
      const lease = await ledger.acquire({
        tenantId,
        entity: `tenant:${tenantId}`,
        holder: `holder-${holder}`,
        want: { tokens: 0, computeSeconds: 0, costUsd: 0.5 },
        unsettled: { tokens: 0, computeSeconds: 0, costUsd: 0 },
      })
      grants.push(lease.grant.costUsd ?? -1)
    }
    // Slices of 10% (1 USD) until the 10 USD are leased out; then nothing is left to lease.
    expect(grants).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
  })
})
