/**
 * execOnAgent with the coalescer: execs started together for one agent go
 * as one lone call per free slot and one shared `execBatch` call for the
 * rest; only the shared call is handed to `keepRunning` (ctx.waitUntil),
 * because other requests wait for its answer. Each exec gets its own result.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { execOnAgent } from '../../src/agent/exec-on-agent'
import { MAX_IN_FLIGHT } from '../../src/agent/exec-coalescer'
import { openTenant } from '../helpers/tenants'

describe('execOnAgent', () => {
  it('runs execs started together as lone calls up to the limit and one shared call for the rest, keeping only the shared one running', async () => {
    const tenant = await openTenant()
    const caller = { tenantId: tenant.tenant.id, principal: tenant.token.id }
    const kept: Promise<unknown>[] = []
    const count = MAX_IN_FLIGHT + 6
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) => execOnAgent(env, caller, { command: `echo ${i}` }, (work) => kept.push(work))),
    )
    expect(results.map((result) => result.stdout)).toEqual(Array.from({ length: count }, (_, i) => `${i}\n`))
    expect(new Set(results.map((result) => result.executionId)).size).toBe(count)
    expect(kept).toHaveLength(1)
    // The kept promise is the shared call: one result per exec of its group.
    expect(await kept[0]).toHaveLength(6)
  })
})
