import { abortAllDurableObjects, evictDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { agentStub } from '../../src/agent/router'
import { unwrap } from '../../src/agent/rpc-result'
import { advance, cancel, finished, spawnAgent, submit, task, useClock } from './helpers'

describe('persistence across eviction', () => {
  it('keeps the lifecycle state and every queued task when the object is evicted, and runs them after', async () => {
    const agent = await spawnAgent({ maxConcurrency: 1 })
    unwrap(await agent.stub.suspend(agent.caller))
    const ids = [await submit(agent, { command: 'echo a', priority: 'low' }), await submit(agent, { command: 'echo b', priority: 'high' })]
    await evictDurableObject(agent.stub)
    await useClock(agent.stub, agent.clock)
    const info = unwrap(await agent.stub.describe(agent.caller))
    expect([info.state, info.queue.depth]).toEqual(['SUSPENDED', 2])
    unwrap(await agent.stub.resume(agent.caller))
    const done = await Promise.all(ids.map((id) => finished(agent, id)))
    expect(done.map((t) => [t.status, t.result?.stdout])).toEqual([
      ['completed', 'a\n'],
      ['completed', 'b\n'],
    ])
  })

  it('settles attempts a crash cut off: retried when the policy allows, failed INTERRUPTED when not', async () => {
    const agent = await spawnAgent({ maxConcurrency: 2 })
    const retried = await submit(agent, { command: 'sleep 30', retry: { maxAttempts: 2, initialDelayMs: 3_600_000, maxDelayMs: 3_600_000 } })
    const lost = await submit(agent, { command: 'sleep 30' })
    // A graceful eviction waits for running work; a crash does not (and breaks the stubs held before it).
    await abortAllDurableObjects()
    agent.stub = agentStub(env, agent.tenantId, agent.agentId)
    await useClock(agent.stub, agent.clock)
    const [r, l] = [await task(agent, retried), await task(agent, lost)]
    expect([r.status, r.attempts, r.error?.code]).toEqual(['retry_wait', 1, 'INTERRUPTED'])
    expect([l.status, l.attempts, l.error?.code]).toEqual(['failed', 1, 'INTERRUPTED'])
    // The retry's time comes: attempt 2 runs.
    await advance(agent, 0)
    const again = await task(agent, retried)
    expect([again.status, again.attempts]).toEqual(['running', 2])
    await cancel(agent, retried)
  })
})
