import { describe, expect, it } from 'vitest'
import { unwrap } from '../../src/agent/rpc-result'
import { spawnAgent } from './helpers'

describe('agent lifecycle', () => {
  it('spawns through PENDING and SPAWNING to RUNNING, recording each transition', async () => {
    const agent = await spawnAgent({ type: 'planning', model: 'claude' })
    const info = unwrap(await agent.stub.describe(agent.caller))
    expect(info.state).toBe('RUNNING')
    expect(info.config.type).toBe('planning')
    expect(info.history.map((h) => [h.from, h.to])).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'SPAWNING'],
      ['SPAWNING', 'RUNNING'],
    ])
  })
})
