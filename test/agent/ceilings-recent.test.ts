/**
 * A task's run reuses the ceilings its admission just read (recentCeilings):
 * KV is asked again only when this isolate's last read is older than
 * RECENT_CEILINGS_MAX_AGE_MS, and a write here is what the next run sees.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CEILINGS, RECENT_CEILINGS_MAX_AGE_MS, readCeilings, recentCeilings, writeCeilings } from '../../src/agent/ceilings'

describe('recentCeilings', () => {
  it("answers admission's read within the window and reads KV again after it", async () => {
    const tenantId = `recent-${crypto.randomUUID()}`
    let clock = 5_000_000
    const now = () => clock
    expect(await readCeilings(env.KV, tenantId, now)).toEqual(DEFAULT_CEILINGS)
    // Written behind this isolate's back (another isolate, an operator): the recent read still stands…
    await env.KV.put(`ceilings:${tenantId}`, JSON.stringify({ ...DEFAULT_CEILINGS, cpuSeconds: 7 }))
    clock += RECENT_CEILINGS_MAX_AGE_MS
    expect((await recentCeilings(env.KV, tenantId, now)).cpuSeconds).toBe(DEFAULT_CEILINGS.cpuSeconds)
    // …until it is older than the window.
    clock += 1
    expect((await recentCeilings(env.KV, tenantId, now)).cpuSeconds).toBe(7)
  })

  it('a write through writeCeilings is what the next run applies', async () => {
    const tenantId = `recent-write-${crypto.randomUUID()}`
    const now = () => 9_000_000
    await readCeilings(env.KV, tenantId, now)
    await writeCeilings(env.KV, tenantId, { ...DEFAULT_CEILINGS, processes: 16 }, now)
    expect((await recentCeilings(env.KV, tenantId, now)).processes).toBe(16)
  })
})
