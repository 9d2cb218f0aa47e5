import { runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { TaskQueue } from '../../src/agent/queue'
import { unwrap } from '../../src/agent/rpc-result'
import { finished, listTasks, spawnAgent, startedOrder, streamEvents, submit } from './helpers'

describe('scheduler queue order', () => {
  it('runs a suspended agent\'s low, normal, critical, high tasks as critical, high, normal, low after resume', async () => {
    const agent = await spawnAgent({ maxConcurrency: 1 })
    unwrap(await agent.stub.suspend(agent.caller))
    const ids: Record<string, string> = {}
    for (const priority of ['low', 'normal', 'critical', 'high']) {
      ids[priority] = await submit(agent, { command: `echo ${priority}`, priority })
    }
    unwrap(await agent.stub.resume(agent.caller))
    const results = await Promise.all(['critical', 'high', 'normal', 'low'].map((p) => finished(agent, ids[p] as string)))
    expect(results.map((t) => [t.status, t.result?.stdout])).toEqual([
      ['completed', 'critical\n'],
      ['completed', 'high\n'],
      ['completed', 'normal\n'],
      ['completed', 'low\n'],
    ])
    expect(startedOrder(await streamEvents(agent))).toEqual([ids.critical, ids.high, ids.normal, ids.low])
  })

  it('keeps FIFO order within one priority', async () => {
    const agent = await spawnAgent({ maxConcurrency: 1 })
    unwrap(await agent.stub.suspend(agent.caller))
    const ids = [await submit(agent, { command: 'echo 1' }), await submit(agent, { command: 'echo 2' }), await submit(agent, { command: 'echo 3' })]
    unwrap(await agent.stub.resume(agent.caller))
    for (const id of ids) await finished(agent, id)
    expect(startedOrder(await streamEvents(agent))).toEqual(ids)
  })

  it('ages a waiting low task one level per interval, so it runs before critical work that came later', async () => {
    const agent = await spawnAgent({ maxConcurrency: 1, agingIntervalSeconds: 10 })
    unwrap(await agent.stub.suspend(agent.caller))
    const low = await submit(agent, { command: 'echo low', priority: 'low' })
    // Two intervals: low (3) has aged to high (1), still behind a fresh critical (0).
    agent.clock.advance(20_000)
    const criticalEarly = await submit(agent, { command: 'echo early', priority: 'critical' })
    // A third interval: low reaches critical, and its earlier place in the queue puts it first.
    agent.clock.advance(10_000)
    const criticalLate = await submit(agent, { command: 'echo late', priority: 'critical' })
    const high = await submit(agent, { command: 'echo high', priority: 'high' })
    unwrap(await agent.stub.resume(agent.caller))
    for (const id of [low, criticalEarly, criticalLate, high]) await finished(agent, id)
    expect(startedOrder(await streamEvents(agent))).toEqual([low, criticalEarly, criticalLate, high])
  })

  it('refuses a task beyond maxQueueDepth with 429 QUEUE_FULL and keeps the queued ones', async () => {
    const agent = await spawnAgent({ maxQueueDepth: 2 })
    unwrap(await agent.stub.suspend(agent.caller))
    await submit(agent, { command: 'echo a' })
    await submit(agent, { command: 'echo b' })
    const refused = await agent.stub.submitTask(agent.caller, { command: 'echo c' })
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.error.code).toBe('QUEUE_FULL')
    const listed = await listTasks(agent, { status: 'pending' })
    expect(listed.map((t) => t.work)).toEqual([
      { kind: 'command', command: 'echo b' },
      { kind: 'command', command: 'echo a' },
    ])
  })

  it('returns the earlier task for a repeated idempotency key instead of queueing it again', async () => {
    const agent = await spawnAgent()
    unwrap(await agent.stub.suspend(agent.caller))
    const first = unwrap(await agent.stub.submitTask(agent.caller, { command: 'echo once', idempotencyKey: 'k-1' }))
    const second = unwrap(await agent.stub.submitTask(agent.caller, { command: 'echo once', idempotencyKey: 'k-1' }))
    expect(first.deduplicated).toBe(false)
    expect(second).toEqual({ taskId: first.taskId, agentId: 'agent-1', status: 'pending', deduplicated: true })
    expect((await listTasks(agent)).length).toBe(1)
  })

  it('answers pending tasks by effective priority (rank minus whole aging intervals waited, at least 0), then seq', async () => {
    const agent = await spawnAgent()
    unwrap(await agent.stub.suspend(agent.caller))
    const priorities = ['low', 'normal', 'critical', 'high']
    const inputs = Array.from({ length: 48 }, (_, i) => ({ command: `echo ${i}`, priority: priorities[(i * 7) % 4] }))
    unwrap(await agent.stub.submitTasks(agent.caller, inputs)).forEach(unwrap)
    const agingMs = 10_000
    await runInDurableObject(agent.stub, (_instance, state) => {
      const sql = state.storage.sql
      // ready_at spread over five intervals, out of seq order (retried and re-queued tasks keep their seq), some in the future.
      sql.exec("UPDATE tasks SET ready_at = ? + ((seq * 7919) % 53) * 1000 - 45000 WHERE status = 'pending'", agent.clock.now())
      const rows = sql.exec<{ id: string; seq: number; priority: number; ready_at: number }>("SELECT id, seq, priority, ready_at FROM tasks WHERE status = 'pending'").toArray()
      const queue = new TaskQueue(sql)
      for (const offset of [0, 4_999, 10_000, 25_000, 60_000, 200_000]) {
        const now = agent.clock.now() + offset
        const effective = (row: { priority: number; ready_at: number }) => Math.max(0, row.priority - Math.trunc((now - row.ready_at) / agingMs))
        const expected = [...rows].sort((a, b) => effective(a) - effective(b) || a.seq - b.seq).map((row) => row.id)
        for (const limit of [1, 4, 17, 64]) expect(queue.ready(now, agingMs, limit).map((row) => row.id)).toEqual(expected.slice(0, limit))
      }
    })
  })
})
