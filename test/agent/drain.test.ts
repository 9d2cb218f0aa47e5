import { describe, expect, it } from 'vitest'
import { unwrap } from '../../src/agent/rpc-result'
import { advance, finished, spawnAgent, START, submit, task } from './helpers'

const graceful = (drainTimeoutSeconds: number) => ({ graceful: true, drainTimeoutSeconds, outcome: 'TERMINATED' as const })

describe('terminate and drain', () => {
  it('ends an idle agent at once: TERMINATED, and it takes no new tasks', async () => {
    const agent = await spawnAgent()
    const info = unwrap(await agent.stub.terminate(agent.caller, graceful(30)))
    expect([info.state, info.stateReason]).toEqual(['TERMINATED', 'terminated gracefully'])
    const refused = await agent.stub.submitTask(agent.caller, { command: 'echo x' })
    expect(refused.ok ? 'ok' : refused.error.code).toBe('INVALID_STATE')
  })

  it('drains: running work finishes, new tasks are refused, and the agent ends when the queue is empty', async () => {
    const agent = await spawnAgent({ maxConcurrency: 1 })
    const first = await submit(agent, { command: 'echo one' })
    const second = await submit(agent, { command: 'echo two' })
    const draining = unwrap(await agent.stub.terminate(agent.caller, graceful(30)))
    const refused = await agent.stub.submitTask(agent.caller, { command: 'echo three' })
    expect(refused.ok ? 'ok' : refused.error.code).toBe('INVALID_STATE')
    expect([(await finished(agent, first)).status, (await finished(agent, second)).status]).toEqual(['completed', 'completed'])
    const ended = unwrap(await agent.stub.describe(agent.caller))
    // Either the drain was still under way when terminate answered, or the two echoes had already finished.
    expect(['RUNNING', 'TERMINATED']).toContain(draining.state)
    expect([ended.state, ended.draining]).toEqual(['TERMINATED', undefined])
  })

  it('cancels what is left when the drain timeout passes', async () => {
    const agent = await spawnAgent({ maxConcurrency: 1 })
    const running = await submit(agent, { command: 'sleep 30' })
    const queued = await submit(agent, { command: 'echo queued' })
    const draining = unwrap(await agent.stub.terminate(agent.caller, graceful(10)))
    expect([draining.state, draining.draining]).toEqual(['RUNNING', { outcome: 'TERMINATED', deadline: new Date(START + 10_000).toISOString() }])
    expect(await advance(agent, 10_000)).toBe(true)
    const [r, q] = [await task(agent, running), await task(agent, queued)]
    expect([r.status, r.error?.message, q.status]).toEqual(['cancelled', 'agent ended: drain timeout passed', 'cancelled'])
    const ended = unwrap(await agent.stub.describe(agent.caller))
    expect([ended.state, ended.stateReason]).toEqual(['TERMINATED', 'drain timeout passed'])
  })

  it('terminates without draining: the running attempt is aborted and the queue cancelled at once', async () => {
    const agent = await spawnAgent({ maxConcurrency: 1 })
    const running = await submit(agent, { command: 'sleep 30' })
    const queued = await submit(agent, { command: 'echo queued' })
    const info = unwrap(await agent.stub.terminate(agent.caller, { graceful: false, drainTimeoutSeconds: 0, outcome: 'TERMINATED' }))
    expect(info.state).toBe('TERMINATED')
    expect([(await task(agent, running)).status, (await task(agent, queued)).status]).toEqual(['cancelled', 'cancelled'])
  })

  it('ends COMPLETED when asked, and a new spawn opens a new session', async () => {
    const agent = await spawnAgent()
    const before = unwrap(await agent.stub.describe(agent.caller)).sessionId
    expect(unwrap(await agent.stub.terminate(agent.caller, { graceful: true, drainTimeoutSeconds: 5, outcome: 'COMPLETED' })).state).toBe('COMPLETED')
    const again = unwrap(await agent.stub.spawn(agent.caller, { id: agent.agentId, heartbeatIntervalSeconds: 0 }))
    expect(again.state).toBe('RUNNING')
    expect(again.sessionId).not.toBe(before)
    expect(again.history.slice(-3).map((h) => [h.from, h.to])).toEqual([
      ['RUNNING', 'COMPLETED'],
      ['COMPLETED', 'SPAWNING'],
      ['SPAWNING', 'RUNNING'],
    ])
  })
})
