import { describe, expect, it } from 'vitest'
import { unwrap } from '../../src/agent/rpc-result'
import { cancel, eventMatching, finished, spawnAgent, submit, task } from './helpers'

describe('task dependencies', () => {
  it('holds a dependent task blocked until its dependency on the same agent completes, then runs it', async () => {
    const agent = await spawnAgent({ maxConcurrency: 4 })
    unwrap(await agent.stub.suspend(agent.caller))
    const first = await submit(agent, { command: 'echo first' })
    const second = await submit(agent, { command: 'echo second', dependsOn: [first] })
    expect((await task(agent, second)).status).toBe('blocked')
    unwrap(await agent.stub.resume(agent.caller))
    const [a, b] = [await finished(agent, first), await finished(agent, second)]
    expect([a.status, b.status, b.result?.stdout]).toEqual(['completed', 'completed', 'second\n'])
    expect(Date.parse(b.startedAt ?? '') >= Date.parse(a.finishedAt ?? '')).toBe(true)
    const events = await eventMatching(agent, (e) => e.type === 'task.queued' && e.data.taskId === second)
    expect(events.data.reason).toBe('dependencies completed')
  })

  it('waits for a task of another agent of the same tenant, which notifies it when it ends', async () => {
    const producer = await spawnAgent({ id: 'producer' })
    const consumer = await spawnAgent({ id: 'consumer' }, producer.tenantId)
    unwrap(await producer.stub.suspend(producer.caller))
    const upstream = await submit(producer, { command: 'echo upstream' })
    const downstream = await submit(consumer, { command: 'echo downstream', dependsOn: [upstream] })
    expect((await task(consumer, downstream)).status).toBe('blocked')
    unwrap(await producer.stub.resume(producer.caller))
    expect((await finished(producer, upstream)).status).toBe('completed')
    const done = await finished(consumer, downstream)
    expect([done.status, done.result?.stdout]).toEqual(['completed', 'downstream\n'])
  })

  it('fails and escalates the dependent when its dependency fails (after the dependency\'s own retries)', async () => {
    const agent = await spawnAgent()
    unwrap(await agent.stub.suspend(agent.caller))
    const failing = await submit(agent, { command: 'false' })
    const dependent = await submit(agent, { command: 'echo never', dependsOn: [failing] })
    unwrap(await agent.stub.resume(agent.caller))
    const ended = await finished(agent, dependent)
    expect([ended.status, ended.error?.code, ended.attempts]).toEqual(['failed', 'DEPENDENCY_FAILED', 0])
    const escalation = await eventMatching(agent, (e) => e.type === 'task.escalated')
    expect(escalation.data).toEqual({ taskId: dependent, dependency: failing, dependencyStatus: 'failed' })
  })

  it('fails a dependent on another agent when the dependency there is cancelled', async () => {
    const producer = await spawnAgent({ id: 'producer' })
    const consumer = await spawnAgent({ id: 'consumer' }, producer.tenantId)
    unwrap(await producer.stub.suspend(producer.caller))
    const upstream = await submit(producer, { command: 'echo upstream' })
    const downstream = await submit(consumer, { command: 'echo downstream', dependsOn: [upstream] })
    await cancel(producer, upstream)
    const ended = await finished(consumer, downstream)
    expect([ended.status, ended.error?.code]).toEqual(['failed', 'DEPENDENCY_FAILED'])
  })

  it('refuses a dependency that already failed (424) and one that is not a task of this tenant (400)', async () => {
    const agent = await spawnAgent()
    const failing = await submit(agent, { command: 'false' })
    await finished(agent, failing)
    const onFailed = await agent.stub.submitTask(agent.caller, { command: 'echo x', dependsOn: [failing] })
    expect(onFailed.ok ? 'ok' : onFailed.error.code).toBe('DEPENDENCY_FAILED')

    const stranger = await spawnAgent({ id: 'stranger' })
    const foreign = await submit(stranger, { command: 'echo theirs' })
    const onForeign = await agent.stub.submitTask(agent.caller, { command: 'echo x', dependsOn: [foreign] })
    expect(onForeign.ok ? 'ok' : onForeign.error.code).toBe('VALIDATION_ERROR')
  })
})
