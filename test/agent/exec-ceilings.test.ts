/**
 * A run applies the ceilings its agent holds (runExec's `ceilings` source), not a KV read of its
 * own: the disk quota a write is held to is the held one (KV has none for this tenant, so a KV
 * read would give the 1024 MB default).
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Env } from '../../src/env'
import { DEFAULT_CEILINGS, type Ceilings } from '../../src/agent/ceilings'
import { runExec } from '../../src/agent/exec-service'
import { createExecutionContext } from '../../src/core/context'
import { newTrace } from '../../src/core/trace'
import { freshTenant } from '../governance/helpers'

async function writeTwoMegabytes(held: Ceilings) {
  const ctx = createExecutionContext({ tenantId: freshTenant(), principal: 'tok_test', trace: newTrace() })
  let asked = 0
  const ceilings = async () => {
    asked += 1
    return held
  }
  const result = await runExec(ctx, { command: 'yes | head -c 2000000 > /big' }, env as Env, undefined, undefined, undefined, undefined, ceilings)
  return { result, asked }
}

describe('runExec takes the ceilings the agent holds', () => {
  it('a held 1 MB quota refuses the write; the held default lets it through', async () => {
    const tight = await writeTwoMegabytes({ ...DEFAULT_CEILINGS, diskMb: 1 })
    expect(tight.result).toMatchObject({ ok: false, tier: 1 })
    expect(tight.result.stderr).toContain('DISK_QUOTA_EXCEEDED')
    expect(tight.asked).toBeGreaterThan(0)
    const roomy = await writeTwoMegabytes(DEFAULT_CEILINGS)
    expect(roomy.result).toMatchObject({ ok: true, exitCode: 0 })
  })
})
