/**
 * POST /v1/exec/plan and the RPC `plan`: how a call would be routed, why and
 * at what estimated cost — nothing runs. The same plan is kept with every real
 * execution (in the WAL's task.completed event), its tiers are policy actions
 * and its estimate is what the cost budget is checked against.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { DEFAULT_COST_MODEL } from '../../src/execution/route-plan/cost-model'
import { DEV_TOKEN } from '../helpers/http'
import { newTenant } from '../helpers/tenants'

interface Plan {
  mode: string
  tier: number
  why: string
  stages: Array<{ operation: string; args: string[]; tier: number; why: string; cause: { kind: string; value: string }; mayFallBackTo: number[]; estimateUsd: number }>
  estimate: { usd: number; worstCaseUsd: number; perCallByTier: Record<string, number> }
}

const TIER4_USD = DEFAULT_COST_MODEL.expectedContainerSeconds * DEFAULT_COST_MODEL.containerSecondUsd
const TIER1_USD = DEFAULT_COST_MODEL.expectedCpuMs * DEFAULT_COST_MODEL.cpuMsUsd

describe('POST /v1/exec/plan', () => {
  it('routes each stage, says which program forced tier 4, and estimates the cost — without running anything', async () => {
    const t = await newTenant()
    const { status, body } = await t.json<Plan>('POST', '/v1/exec/plan', { command: 'cat /in.txt | python3 x.py "$F" > /planned.txt' })
    expect(status).toBe(200)
    expect(body).toMatchObject({ mode: 'per-stage', tier: 4, why: "stage 'python3' needs tier 4: 'python3' is no native utility, tier-2 service or tenant module: only the Linux sandbox runs it" })
    expect(body.stages).toEqual([
      {
        operation: 'cat',
        args: ['/in.txt'],
        tier: 1,
        why: "'cat' is a native utility; tier 4 takes over if tier 1 lacks an option, times out or is unavailable",
        cause: { kind: 'program', value: 'cat' },
        mayFallBackTo: [4],
        estimateUsd: TIER1_USD,
      },
      {
        operation: 'python3',
        args: ['x.py', '$F'],
        tier: 4,
        why: "'python3' is no native utility, tier-2 service or tenant module: only the Linux sandbox runs it",
        cause: { kind: 'program', value: 'python3' },
        mayFallBackTo: [],
        estimateUsd: TIER4_USD,
      },
    ])
    expect(body.estimate.usd).toBeCloseTo(TIER1_USD + TIER4_USD, 12)
    expect(body.estimate.worstCaseUsd).toBeCloseTo(2 * TIER4_USD, 12)
    expect(body.estimate.perCallByTier['4']).toBeCloseTo(TIER4_USD, 12)
    // Nothing ran: the redirect target was never written.
    expect((await t.call('GET', '/v1/fs/planned.txt')).status).toBe(404)
  })

  it('a pinned tier is the reason; a builtin stays in the shell', async () => {
    const t = await newTenant()
    const pinned = await t.json<Plan>('POST', '/v1/exec/plan', { operation: 'sort', args: ['-r'], tier: 4 })
    expect(pinned.body.stages[0]).toMatchObject({ tier: 4, why: 'the request asks for tier 4 (no fallback)', cause: { kind: 'explicit', value: 'tier 4' } })
    const builtin = await t.json<Plan>('POST', '/v1/exec/plan', { command: 'cd /x && ls' })
    expect(builtin.body.stages.map((stage) => [stage.operation, stage.tier, stage.cause.kind])).toEqual([
      ['cd', 1, 'builtin'],
      ['ls', 1, 'program'],
    ])
  })

  it('a line the shell hands whole to bash -c stays whole on a pinned tier', async () => {
    const t = await newTenant()
    const { body } = await t.json<Plan>('POST', '/v1/exec/plan', { command: 'sleep 1 & wait', tier: 3 })
    expect(body).toMatchObject({ mode: 'whole-line', tier: 3, stages: [{ operation: 'bash', args: ['-c', 'sleep 1 & wait'], tier: 3, cause: { kind: 'explicit', value: 'tier 3' } }] })
  })

  it('a line pinned to tier 4 runs whole in the sandbox: one bash -c stage, the pin as its cause', async () => {
    const t = await newTenant()
    const { body } = await t.json<Plan>('POST', '/v1/exec/plan', { command: 'true && cd /x', tier: 4 })
    expect(body).toMatchObject({ mode: 'whole-line', tier: 4 })
    expect(body.stages.map(({ operation, args, tier, cause }) => ({ operation, args, tier, cause }))).toEqual([
      { operation: 'bash', args: ['-c', 'true && cd /x'], tier: 4, cause: { kind: 'explicit', value: 'tier 4' } },
    ])
    expect(body.stages[0]?.why).toBe("the whole line runs on tier 4 as 'bash -c': the request asks for tier 4, so the whole line runs in the sandbox, builtins included")
  })

  it('a line that does not parse is 400 PARSE_ERROR naming the place', async () => {
    const t = await newTenant()
    const { status, body } = await t.json<{ error: { code: string; message: string } }>('POST', '/v1/exec/plan', { command: 'cat /a |' })
    expect(status).toBe(400)
    expect(body.error.code).toBe('PARSE_ERROR')
    expect(body.error.message).toContain('syntax error at line 1')
  })

  it('is in the OpenAPI document', async () => {
    const t = await newTenant()
    const doc = await t.json<{ paths: Record<string, { post?: { responses: Record<string, unknown> } }> }>('GET', '/openapi.json')
    expect(Object.keys(doc.body.paths['/v1/exec/plan']?.post?.responses ?? {})).toEqual(['200', '400', '401', '403'])
  })
})

describe('the plan of a real execution', () => {
  it('is recorded in the WAL with the task outcome', async () => {
    const t = await newTenant()
    const ran = await t.json<{ executionId: string; route?: unknown }>('POST', '/v1/exec', { command: 'echo hi | wc -c' })
    const { body } = await t.json<{ events: Array<{ type: string; data: { route?: Plan } }> }>('GET', `/v1/wal?executionId=${ran.body.executionId}`)
    const completed = body.events.find((event) => event.type === 'task.completed')
    expect(completed?.data.route).toMatchObject({ mode: 'per-stage', tier: 1, stages: [{ operation: 'echo', tier: 1 }, { operation: 'wc', tier: 1 }] })
  })

  it('says what really ran: an operation call with a pinned tier runs there, even one named like a shell builtin', async () => {
    const t = await newTenant()
    const ran = await t.json<{ tier: number; executionId: string; route?: Plan }>('POST', '/v1/exec', { operation: 'true', args: [], tier: 4 })
    expect(ran.status).toBe(200)
    const pinned = { mode: 'per-stage', tier: 4, stages: [{ operation: 'true', tier: 4, why: 'the request asks for tier 4 (no fallback)', mayFallBackTo: [] }] }
    // No sandbox in this suite: the call fails on tier 4 (TIER_UNAVAILABLE), which is still where it ran.
    expect(ran.body.tier).toBe(4)
    expect(ran.body.route).toMatchObject(pinned)
    const { body } = await t.json<{ events: Array<{ type: string; data: { route?: Plan } }> }>('GET', `/v1/wal?executionId=${ran.body.executionId}`)
    const outcome = body.events.find((event) => event.type === 'task.completed' || event.type === 'task.failed')
    expect(outcome?.data.route).toMatchObject(pinned)
    // The same name in a command line is the shell's builtin, on tier 1.
    const line = await t.json<{ tier: number; route?: Plan }>('POST', '/v1/exec', { command: 'true' })
    expect([line.body.tier, line.body.route?.stages[0]?.tier, line.body.route?.stages[0]?.why]).toEqual([1, 1, "'true' is a shell builtin"])
  })

  it('a cost budget too small for tier 4 refuses the call BUDGET_EXCEEDED naming the tier and estimate; nothing ran', async () => {
    const t = await newTenant()
    expect((await t.call('PUT', `/v1/budgets/tenant:${t.tenantId}`, { maxCostPerDayUsd: TIER4_USD / 2 })).status).toBe(200)
    const refused = await t.json<{ error: { code: string; message: string; details: Record<string, unknown> } }>('POST', '/v1/exec', {
      command: 'python3 -c "open(\'/ran\', \'w\')"',
    })
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('BUDGET_EXCEEDED')
    expect(refused.body.error.message).toMatch(/^tier 4 is estimated at \$0\.0000213 \(stage 'python3' needs tier 4: .*\), more than the budget has left: .*; nothing ran$/)
    expect(refused.body.error.details).toMatchObject({ tier: 4, dimension: 'costUsd' })
    expect((await t.call('GET', '/v1/fs/ran')).status).toBe(404)
    // A tier-1 call costs little enough to pass the same budget.
    expect((await t.json<{ ok: boolean }>('POST', '/v1/exec', { command: 'echo fine' })).body.ok).toBe(true)
  })

  it('a policy can forbid a tier: tier:4 denied refuses a line whose plan needs tier 4', async () => {
    const t = await newTenant()
    const put = await t.call('PUT', '/v1/policies/no-sandbox', { rules: [{ actionPattern: 'tier:4', effect: 'deny' }] })
    expect(put.status).toBe(201)
    const refused = await t.json<{ error: { code: string; message: string } }>('POST', '/v1/exec', { command: 'python3 -c 1' })
    expect(refused.status).toBe(403)
    expect(refused.body.error).toMatchObject({ code: 'POLICY_DENIED' })
    expect(refused.body.error.message).toContain('tier:4')
    expect((await t.json<{ ok: boolean }>('POST', '/v1/exec', { command: 'echo still' })).body.ok).toBe(true)
  })
})

describe('the RPC plan method', () => {
  it('answers the same plan over the service binding', async () => {
    const rpc = env.RPC_CLIENT as unknown as { tryCall(token: string, method: string, ...args: unknown[]): Promise<{ ok: boolean; value?: Plan }> }
    const result = await rpc.tryCall(DEV_TOKEN, 'plan', { command: 'python3 -c 1' })
    expect(result.ok).toBe(true)
    expect(result.value).toMatchObject({ tier: 4, stages: [{ operation: 'python3', tier: 4, cause: { kind: 'program', value: 'python3' } }] })
  })
})
