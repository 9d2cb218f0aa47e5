import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { unwrap } from '../../src/agent/rpc-result'
import type { TaskView } from '../../src/agent/task-record'
import { createGovernance } from '../../src/governance/governance'
import { finished, spawnAgent, submit, task } from './helpers'

const governance = () => createGovernance(env)

describe('the governed path inside the agent', () => {
  it('refuses a task the policy denies with POLICY_DENIED, and queues nothing', async () => {
    const agent = await spawnAgent()
    await governance().policies.put(agent.tenantId, 'no-rm', { scope: { level: 'tenant' }, rules: [{ actionPattern: 'exec:rm', effect: 'deny' }], priority: 0 })
    const refused = await agent.stub.submitTask(agent.caller, { command: 'echo hi && rm -r /data' })
    expect(refused.ok ? 'ok' : refused.error.code).toBe('POLICY_DENIED')
    expect(unwrap(await agent.stub.describe(agent.caller)).queue.byStatus).toEqual({})
  })

  it('parks a task that needs an approval, and runs it once governance approves', async () => {
    const agent = await spawnAgent()
    await governance().policies.put(agent.tenantId, 'ask', { scope: { level: 'tenant' }, rules: [{ actionPattern: 'exec:echo', effect: 'require_approval' }], priority: 0 })
    const handle = unwrap(await agent.stub.submitTask(agent.caller, { command: 'echo approved' }))
    expect(handle.status).toBe('awaiting_approval')
    const parked = await task(agent, handle.taskId)
    expect(parked.approvalId).toMatch(/^apr_/)
    const resumed: TaskView = await agent.stub.resolveApproval(handle.taskId, 'approved', { approvalId: parked.approvalId as string, approver: 'alice' })
    expect(['pending', 'running', 'completed']).toContain(resumed.status)
    const done = await finished(agent, handle.taskId)
    expect([done.status, done.result?.stdout]).toEqual(['completed', 'approved\n'])
  })

  it('fails a parked task POLICY_DENIED when the approval is rejected', async () => {
    const agent = await spawnAgent()
    await governance().policies.put(agent.tenantId, 'ask', { scope: { level: 'tenant' }, rules: [{ actionPattern: 'exec:echo', effect: 'require_approval' }], priority: 0 })
    const id = await submit(agent, { command: 'echo never' })
    const parked = await task(agent, id)
    const rejected: TaskView = await agent.stub.resolveApproval(id, 'rejected', { approvalId: parked.approvalId as string, approver: 'bob', reason: 'not today' })
    expect([rejected.status, rejected.error]).toEqual([
      'failed',
      { code: 'POLICY_DENIED', message: `the approval ${parked.approvalId} was rejected by bob: not today` },
    ])
  })

  it('aborts running work on the kill switch, suspends the agent, and refuses work and resume while it holds', async () => {
    const agent = await spawnAgent()
    const running = await submit(agent, { command: 'sleep 30' })
    const g = governance()
    await g.killSwitches.set({ scope: 'agent', tenantId: agent.tenantId, agentId: agent.agentId }, true, 'incident 7', 'tok_test')
    expect(await agent.stub.abortRunning('incident 7')).toBe(1)
    const killed = await task(agent, running)
    expect([killed.status, killed.error?.code]).toEqual(['failed', 'KILL_SWITCH'])
    const info = unwrap(await agent.stub.describe(agent.caller))
    expect([info.state, info.stateReason]).toEqual(['SUSPENDED', 'kill switch: incident 7'])
    const refused = await agent.stub.submitTask(agent.caller, { command: 'echo x' })
    expect(refused.ok ? 'ok' : refused.error.code).toBe('KILL_SWITCH')
    const resume = await agent.stub.resume(agent.caller)
    expect(resume.ok ? 'ok' : resume.error.code).toBe('KILL_SWITCH')
    await g.killSwitches.set({ scope: 'agent', tenantId: agent.tenantId, agentId: agent.agentId }, false, 'resolved', 'tok_test')
    expect(unwrap(await agent.stub.resume(agent.caller)).state).toBe('RUNNING')
  })

  it('writes the task\'s WAL events in order, durable in the object first and then in D1', async () => {
    const agent = await spawnAgent()
    const id = await submit(agent, { command: 'echo logged' })
    const done = await finished(agent, id)
    // Each event is in the object's outbox until a flush moves it to D1: read the outbox first, then D1, and nothing is missed.
    const seen = new Map<number, string>()
    await runInDurableObject(agent.stub, (_instance, state) => {
      for (const row of state.storage.sql.exec<{ seq: number; type: string }>('SELECT seq, type FROM wal_outbox WHERE execution_id = ?', done.executionId)) {
        seen.set(row.seq, row.type)
      }
    })
    const flushed = await env.DB.prepare('SELECT seq, type FROM wal_events WHERE execution_id = ?1').bind(done.executionId).all<{ seq: number; type: string }>()
    for (const row of flushed.results) seen.set(row.seq, row.type)
    expect([...seen.entries()].sort(([a], [b]) => a - b)).toEqual([
      [1, 'policy.decided'],
      [2, 'task.scheduled'],
      [3, 'task.started'],
      [4, 'task.completed'],
    ])
  })
})
