import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { planByName } from '../../src/api/mcp/plan'

describe("the MCP plan tool's own planner (no /v1/exec/plan route)", () => {
  it('names every stage of every pipeline, and-or branch and list item with the tier the router detects', async () => {
    const plan = await planByName('cat /a | jq .x | wc -l && echo ok || python3 -c 1; sort /b', env, 'dev')
    expect(plan.stages).toEqual([
      { operation: 'cat', tier: 1 },
      { operation: 'jq', tier: 2 },
      { operation: 'wc', tier: 1 },
      { operation: 'echo', tier: 1 },
      { operation: 'python3', tier: 4 },
      { operation: 'sort', tier: 1 },
    ])
  })

  it('leaves out a stage whose command name is only known at run time', async () => {
    expect((await planByName('$TOOL x | wc -c', env, 'dev')).stages).toEqual([{ operation: 'wc', tier: 1 }])
  })
})
