import { describe, expect, it } from 'vitest'
import { unwrap } from '../../src/agent/rpc-result'
import { advance, cancel, eventMatching, spawnAgent, submit, task } from './helpers'

describe('heartbeats and health', () => {
  it('reports degraded after a missed interval and healthy again after a heartbeat', async () => {
    const agent = await spawnAgent({ heartbeatIntervalSeconds: 1 })
    agent.clock.advance(1500)
    expect(unwrap(await agent.stub.describe(agent.caller)).health).toMatchObject({ status: 'degraded', missedHeartbeats: 1 })
    const health = unwrap(await agent.stub.heartbeat(agent.caller))
    expect([health.status, health.missedHeartbeats]).toEqual(['healthy', 0])
  })

  it('marks an agent that never heartbeats (interval 1 s, 3 misses) FAILED by alarm within 3 s, and emits the health change', async () => {
    const agent = await spawnAgent({ heartbeatIntervalSeconds: 1 })
    expect(await advance(agent, 2999)).toBe(true)
    expect(unwrap(await agent.stub.describe(agent.caller)).state).toBe('RUNNING')
    expect(await advance(agent, 1)).toBe(true)
    const info = unwrap(await agent.stub.describe(agent.caller))
    expect([info.state, info.health.status, info.stateReason]).toEqual(['FAILED', 'unhealthy', 'missed 3 heartbeats (interval 1s)'])
    const event = await eventMatching(agent, (e) => e.type === 'agent.health')
    expect(event.data).toEqual({ status: 'unhealthy', missedHeartbeats: 3 })
  })

  it('cleans up a failed agent\'s running tasks: re-queued when a retry is left, failed AGENT_UNHEALTHY when not', async () => {
    const agent = await spawnAgent({ heartbeatIntervalSeconds: 1, maxConcurrency: 2 })
    const retried = await submit(agent, { command: 'sleep 30', retry: { maxAttempts: 2, initialDelayMs: 0 } })
    const lost = await submit(agent, { command: 'sleep 30' })
    expect([(await task(agent, retried)).status, (await task(agent, lost)).status]).toEqual(['running', 'running'])
    await advance(agent, 3000)
    const failedLost = await task(agent, lost)
    expect([failedLost.status, failedLost.error?.code]).toEqual(['failed', 'AGENT_UNHEALTHY'])
    // Its retry falls due at once, but a FAILED agent dispatches nothing.
    await advance(agent, 0)
    expect([(await task(agent, retried)).status, (await task(agent, retried)).attempts]).toEqual(['pending', 1])
    // A heartbeat brings the agent back, and the re-queued task runs again.
    unwrap(await agent.stub.heartbeat(agent.caller))
    const back = await task(agent, retried)
    expect([back.status, back.attempts]).toEqual(['running', 2])
    expect(unwrap(await agent.stub.describe(agent.caller)).history.slice(-2).map((h) => [h.to, h.reason])).toEqual([
      ['FAILED', 'missed 3 heartbeats (interval 1s)'],
      ['RUNNING', 'heartbeat resumed'],
    ])
    await cancel(agent, retried)
  })

  it('does not monitor an agent with heartbeatIntervalSeconds 0', async () => {
    const agent = await spawnAgent({ heartbeatIntervalSeconds: 0 })
    agent.clock.advance(86_400_000)
    const info = unwrap(await agent.stub.describe(agent.caller))
    expect([info.state, info.health.status]).toEqual(['RUNNING', 'unmonitored'])
  })
})
