/**
 * Tiers 2 and 3 inside shell pipelines, routed per stage by the real router:
 * `echo` (a shell builtin, run in process, so no routed stage) feeds jq on
 * tier 2, and a tenant's module on tier 3 reads the previous stage's output
 * as its stdin. `stages` lists the routed stages only.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { runCommand } from '../../../src/execution/command'
import { esmExecutor } from '../../../src/execution/esm/index'
import { createExecute } from '../../../src/execution/index'
import { rpcExecutor } from '../../../src/execution/rpc/index'
import { DEFAULT_TIERS } from '../../../src/execution/tier-table'
import type { TierTable } from '../../../src/execution/tiers'
import { upload } from '../esm/modules'
import { freshTenant, memoryFs } from './exec-call'

const TIERS: TierTable = { ...DEFAULT_TIERS, 2: rpcExecutor, 3: esmExecutor }

function shell(tenantId: string, line: string) {
  const fs = memoryFs(tenantId)
  return runCommand(line, { execute: createExecute({ bindings: env, fs, tenantId, tiers: TIERS }), fs, options: {} })
}

describe('tiers 2 and 3 in pipelines', () => {
  it(`prints 3 for echo '{"a":[1,2,3]}' | jq '.a | length', with jq on tier 2`, async () => {
    const result = await shell(freshTenant(), `echo '{"a":[1,2,3]}' | jq '.a | length'`)
    expect(result).toMatchObject({ ok: true, exitCode: 0, stdout: '3\n', tier: 2 })
    expect(result.stages?.map((stage) => [stage.operation, stage.tier, stage.exitCode])).toEqual([['jq', 2, 0]])
  })

  it('chains convert and jq: YAML in, a jq answer out', async () => {
    const result = await shell(freshTenant(), `printf 'items:\\n  - 3\\n  - 4\\n' | convert -f yaml -t json | jq -c '.items | add'`)
    expect(result).toMatchObject({ ok: true, stdout: '7\n' })
    expect(result.stages?.map((stage) => stage.tier)).toEqual([2, 2])
  })

  it("runs a tenant's module as a stage on tier 3, reading the previous stage's output", async () => {
    const tenantId = freshTenant()
    await upload(tenantId, { name: 'shout', source: 'export default { run: (ctx) => ctx.stdin.toUpperCase() }' })
    const result = await shell(tenantId, `echo hello | shout | wc -c`)
    expect(result).toMatchObject({ ok: true, stdout: '6\n' })
    expect(result.stages?.map((stage) => [stage.operation, stage.tier])).toEqual([
      ['shout', 3],
      ['wc', 1],
    ])
  })
})
