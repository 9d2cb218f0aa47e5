import { describe, expect, it } from 'vitest'
import { unwrap } from '../../src/agent/rpc-result'
import { advance, cancel, finished, spawnAgent, START, submit, task } from './helpers'
import { newTenant } from '../helpers/tenants'

describe('deadlines, timeouts and cancellation', () => {
  it('fails a task not started by its deadline with DEADLINE_EXCEEDED, by alarm', async () => {
    const agent = await spawnAgent()
    unwrap(await agent.stub.suspend(agent.caller))
    const id = await submit(agent, { command: 'echo late', deadline: new Date(START + 10_000).toISOString() })
    expect((await task(agent, id)).status).toBe('pending')
    expect(await advance(agent, 9_000)).toBe(true)
    expect((await task(agent, id)).status).toBe('pending')
    expect(await advance(agent, 2_000)).toBe(true)
    const failed = await task(agent, id)
    expect([failed.status, failed.error?.code, failed.attempts]).toEqual(['failed', 'DEADLINE_EXCEEDED', 0])
  })

  it('terminates an attempt that outlives timeoutSeconds: `sleep 30` with timeoutSeconds 1 fails TIMEOUT', async () => {
    const agent = await spawnAgent()
    const id = await submit(agent, { command: 'sleep 30', timeoutSeconds: 1 })
    expect((await task(agent, id)).status).toBe('running')
    // The alarm ends it at the agent's 1 s; the tier's own 1 s limit would end it the same way if real time got there first.
    await advance(agent, 1_000)
    const failed = await task(agent, id)
    expect([failed.status, failed.error?.code, failed.attempts]).toEqual(['failed', 'TIMEOUT', 1])
  })

  it('does not retry a timed-out task even with a retry policy (failure table: terminate and log)', async () => {
    const agent = await spawnAgent()
    const id = await submit(agent, { command: 'sleep 30', timeoutSeconds: 5, retry: { maxAttempts: 3 } })
    await advance(agent, 5_000)
    const failed = await task(agent, id)
    expect([failed.status, failed.error?.code, failed.attempts]).toEqual(['failed', 'TIMEOUT', 1])
  })

  it('cancels a pending task: it reports cancelled and never runs', async () => {
    const agent = await spawnAgent()
    unwrap(await agent.stub.suspend(agent.caller))
    const id = await submit(agent, { command: 'echo never' })
    const cancelled = await cancel(agent, id)
    expect([cancelled.status, cancelled.error?.code]).toEqual(['cancelled', 'CANCELLED'])
    unwrap(await agent.stub.resume(agent.caller))
    const after = await task(agent, id)
    expect([after.status, after.attempts, after.result]).toEqual(['cancelled', 0, undefined])
  })

  it('cancels a running task: the attempt is aborted and the task reports cancelled', async () => {
    const agent = await spawnAgent()
    const id = await submit(agent, { command: 'sleep 30' })
    expect((await task(agent, id)).status).toBe('running')
    const cancelled = await cancel(agent, id)
    expect([cancelled.status, cancelled.error?.code, cancelled.attempts]).toEqual(['cancelled', 'CANCELLED', 1])
    // Its timeout no longer applies: a later alarm leaves it cancelled, not timed out or re-run.
    await advance(agent, 20_000_000)
    const after = await task(agent, id)
    expect([after.status, after.error?.code, after.attempts]).toEqual(['cancelled', 'CANCELLED', 1])
  })

  it('refuses to cancel a task that already ended', async () => {
    const agent = await spawnAgent()
    const id = await submit(agent, { command: 'echo done' })
    await finished(agent, id)
    const refused = await agent.stub.cancelTask(agent.caller, id)
    expect(refused.ok ? 'ok' : refused.error.code).toBe('INVALID_STATE')
  })
})

describe('a timeout on /v1/exec is an ExecResult', () => {
  it('answers 200 with ok:false, error.code TIMEOUT and exit status 124, like a failed command', async () => {
    const t = await newTenant()
    const response = await t.json<{ ok: boolean; exitCode: number; tier: number; error: { code: string; retriable: boolean } }>('POST', '/v1/exec', { command: 'sleep 5', timeoutMs: 1000 })
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ ok: false, exitCode: 124, tier: 1, error: { code: 'TIMEOUT', retriable: true } })
  })
})
