/**
 * One outbox, group-committed (issue 15): a task's answer does not wait for
 * D1; its WAL events and decision audit wait in the agent's SQLite outbox
 * and reach D1 together when the alarm flushes, at most WAL_FLUSH_DELAY_MS
 * after they were written (the lag bound docs/governance.md states), and a
 * WAL reader still reads its writes because the owning agent flushes first.
 * The agent's clock is manual and far in the future, so only
 * runDurableObjectAlarm fires its alarm: no timing thresholds.
 */
import { abortAllDurableObjects, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { MAX_REDELIVERY_DELAY_MS, REDELIVERY_DELAY_MS, redeliveryDelayMs, WAL_FLUSH_DELAY_MS } from '../../src/agent/outbound'
import { agentStub } from '../../src/agent/router'
import { agentObjectIdOfExecution } from '../../src/agent/task-ids'
import { FINISHED_TASK_RETENTION_MS } from '../../src/agent/task-transitions'
import { createGovernance } from '../../src/governance/governance'
import { flushWalOwners } from '../../src/orchestration/wal-owners'
import { queryWal } from '../../src/wal/query'
import { call, json } from '../helpers/http'
import { openTenant } from '../helpers/tenants'
import { advance, cancel, finished, spawnAgent, START, submit, task, useClock } from './helpers'

async function d1Rows(executionId: string): Promise<{ events: Array<{ seq: number; type: string }>; decisions: number }> {
  const events = await env.DB.prepare('SELECT seq, type FROM wal_events WHERE execution_id = ?1 ORDER BY id').bind(executionId).all<{ seq: number; type: string }>()
  const decisions = await env.DB.prepare('SELECT COUNT(*) AS n FROM policy_decisions WHERE execution_id = ?1').bind(executionId).first<number>('n')
  return { events: events.results, decisions: decisions ?? 0 }
}

const TASK_EVENTS = [
  { seq: 1, type: 'policy.decided' },
  { seq: 2, type: 'task.scheduled' },
  { seq: 3, type: 'task.started' },
  { seq: 4, type: 'task.completed' },
]

describe('the agent outbox', () => {
  it('answers before D1 has the task, and the alarm delivers its events and audit together within WAL_FLUSH_DELAY_MS', async () => {
    const agent = await spawnAgent()
    const done = await finished(agent, await submit(agent, { command: 'echo hi' }))
    expect(done.status).toBe('completed')
    expect(agentObjectIdOfExecution(done.executionId)).toBe(agent.stub.id.toString())
    // The answer came back with nothing in D1: everything waits, durable, in the object.
    expect(await d1Rows(done.executionId)).toEqual({ events: [], decisions: 0 })
    const alarmAt = await runInDurableObject(agent.stub, async (_instance, state) => {
      const waiting = state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM wal_outbox WHERE execution_id = ?', done.executionId).one().n
      const kept = state.storage.sql.exec<{ tbl: string }>('SELECT tbl FROM record_outbox').toArray().map((row) => row.tbl)
      expect([waiting, kept]).toEqual([4, ['policy_decisions']])
      return state.storage.getAlarm()
    })
    // The lag bound: the alarm that flushes is armed no later than WAL_FLUSH_DELAY_MS after the rows were written.
    expect(alarmAt).not.toBeNull()
    expect(alarmAt as number).toBeLessThanOrEqual(START + WAL_FLUSH_DELAY_MS)
    await advance(agent, WAL_FLUSH_DELAY_MS)
    expect(await d1Rows(done.executionId)).toEqual({ events: TASK_EVENTS, decisions: 1 })
    await runInDurableObject(agent.stub, (_instance, state) => {
      const left = state.storage.sql.exec<{ n: number }>('SELECT (SELECT COUNT(*) FROM wal_outbox) + (SELECT COUNT(*) FROM record_outbox) AS n').one().n
      expect(left).toBe(0)
    })
  })

  it('continues an execution\'s seqs gap-free in D1 across a flush and a crash (its retry runs after both)', async () => {
    const agent = await spawnAgent()
    const taskId = await submit(agent, { command: 'sleep 30', retry: { maxAttempts: 2, initialDelayMs: 3_600_000, maxDelayMs: 3_600_000 } })
    const { executionId } = await task(agent, taskId)
    await advance(agent, WAL_FLUSH_DELAY_MS)
    expect((await d1Rows(executionId)).events).toEqual(TASK_EVENTS.slice(0, 3))
    // The outbox is empty and the object crashes: the execution's next events continue after seq 3.
    await abortAllDurableObjects()
    agent.stub = agentStub(env, agent.tenantId, agent.agentId)
    await useClock(agent.stub, agent.clock)
    expect((await task(agent, taskId)).status).toBe('retry_wait')
    await advance(agent, 3_600_000)
    expect((await task(agent, taskId)).status).toBe('running')
    await cancel(agent, taskId)
    await advance(agent, WAL_FLUSH_DELAY_MS)
    const { events } = await d1Rows(executionId)
    expect(events.map((event) => event.type)).toEqual(['policy.decided', 'task.scheduled', 'task.started', 'task.attempt', 'task.started', 'task.cancelled'])
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('lets a reader of one execution, one session or the whole tenant read its writes before the alarm', async () => {
    const agent = await spawnAgent()
    const first = await finished(agent, await submit(agent, { command: 'echo one' }))
    await flushWalOwners(env, agent.tenantId, { executionId: first.executionId })
    expect((await queryWal(env.DB, agent.tenantId, { executionId: first.executionId, limit: 100 })).events.map((e) => e.type)).toEqual(TASK_EVENTS.map((e) => e.type))

    const second = await finished(agent, await submit(agent, { command: 'echo two' }))
    const sessionId = await env.DB.prepare('SELECT session_id FROM agents WHERE tenant_id = ?1').bind(agent.tenantId).first<string>('session_id')
    await flushWalOwners(env, agent.tenantId, { sessionId: sessionId ?? '' })
    expect((await d1Rows(second.executionId)).events).toEqual(TASK_EVENTS)

    const third = await finished(agent, await submit(agent, { command: 'echo three' }))
    await flushWalOwners(env, agent.tenantId, {})
    expect(await d1Rows(third.executionId)).toEqual({ events: TASK_EVENTS, decisions: 1 })
  })

  it('answers GET /v1/wal and /v1/policy/decisions right after POST /v1/exec with that execution in them', async () => {
    const token = (await openTenant()).token.value
    const exec = await json<{ executionId: string; stdout: string }>(await call('POST', '/v1/exec', { token, body: { command: 'echo read my writes' } }))
    expect(exec.stdout).toBe('read my writes\n')
    const wal = await json<{ events: Array<{ seq: number; type: string }> }>(await call('GET', `/v1/wal?executionId=${exec.executionId}`, { token }))
    expect(wal.events.map(({ seq, type }) => ({ seq, type }))).toEqual(TASK_EVENTS)
    const audit = await json<{ decisions: Array<{ executionId: string; effect: string }> }>(await call('GET', `/v1/policy/decisions?executionId=${exec.executionId}`, { token }))
    expect(audit.decisions.map((d) => [d.executionId, d.effect])).toEqual([[exec.executionId, 'allow']])
  })

  it('keeps a refused task\'s decision in a pack of its own: no events, the audit row read back through policy_decisions', async () => {
    const agent = await spawnAgent()
    await createGovernance(env).policies.put(agent.tenantId, 'no-rm', { scope: { level: 'tenant' }, rules: [{ actionPattern: 'exec:rm', effect: 'deny' }], priority: 0 })
    const refused = await agent.stub.submitTask(agent.caller, { command: 'rm /x' })
    expect(refused.ok ? 'ok' : refused.error.code).toBe('POLICY_DENIED')
    await advance(agent, WAL_FLUSH_DELAY_MS)
    const audit = await env.DB.prepare('SELECT execution_id, effect, action FROM policy_decisions WHERE tenant_id = ?1').bind(agent.tenantId).all<{ execution_id: string; effect: string; action: string }>()
    expect(audit.results.map((row) => [row.effect, row.action])).toEqual([['deny', 'exec:rm']])
    const pack = await env.DB.prepare('SELECT first_seq, events FROM wal_packs WHERE execution_id = ?1').bind(audit.results[0]?.execution_id).all()
    expect(pack.results).toEqual([{ first_seq: 0, events: '[]' }])
  })

  it('forgets the kept seq of an execution once its task is purged, and keeps the others', async () => {
    const agent = await spawnAgent()
    const old = await finished(agent, await submit(agent, { command: 'echo old' }))
    await advance(agent, WAL_FLUSH_DELAY_MS)
    const keptSeqs = () =>
      runInDurableObject(agent.stub, (_instance, state) =>
        state.storage.sql.exec<{ execution_id: string; last_seq: number }>('SELECT execution_id, last_seq FROM wal_sequences ORDER BY execution_id').toArray(),
      )
    // Delivered: the execution's last seq is kept, so a later event of it would continue at 5.
    expect((await keptSeqs()).filter((row) => row.execution_id === old.executionId)).toEqual([{ execution_id: old.executionId, last_seq: 4 }])
    const others = (await keptSeqs()).filter((row) => row.execution_id !== old.executionId)
    expect(others.length).toBeGreaterThan(0) // the agent's session (its state transitions)
    // A week later, the task that ends with seq 256 purges what finished before the retention (PURGE_EVERY).
    agent.clock.advance(FINISHED_TASK_RETENTION_MS + 1)
    await runInDurableObject(agent.stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE sqlite_sequence SET seq = 255 WHERE name = 'tasks'")
    })
    const fresh = await finished(agent, await submit(agent, { command: 'echo fresh' }))
    await expect(task(agent, old.id)).rejects.toThrow(/NOT_FOUND|no task/)
    expect((await keptSeqs()).map((row) => row.execution_id)).toEqual(others.map((row) => row.execution_id))
    await advance(agent, WAL_FLUSH_DELAY_MS)
    expect((await d1Rows(fresh.executionId)).events).toEqual(TASK_EVENTS)
    expect((await d1Rows(old.executionId)).events).toEqual(TASK_EVENTS)
  })

  it('backs off while D1 refuses: doubling from REDELIVERY_DELAY_MS up to MAX_REDELIVERY_DELAY_MS', () => {
    expect([1, 2, 3, 4].map(redeliveryDelayMs)).toEqual([REDELIVERY_DELAY_MS, 2 * REDELIVERY_DELAY_MS, 4 * REDELIVERY_DELAY_MS, 8 * REDELIVERY_DELAY_MS])
    expect(redeliveryDelayMs(40)).toBe(MAX_REDELIVERY_DELAY_MS)
  })
})
