import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { unwrap } from '../../src/agent/rpc-result'
import { WAL_FLUSH_DELAY_MS } from '../../src/agent/outbound'
import { createGovernance } from '../../src/governance/governance'
import { advance, finished, spawnAgent, streamEvents, task, type TestAgent } from './helpers'

const TTL_SECONDS = 60

/** A task parked behind a require_approval rule whose approval lives TTL_SECONDS on the agent's clock. */
async function parked(agent: TestAgent, command: string): Promise<{ taskId: string; approvalId: string }> {
  const taskId = unwrap(await agent.stub.submitTask(agent.caller, { command })).taskId
  const view = await task(agent, taskId)
  expect(view.status).toBe('awaiting_approval')
  return { taskId, approvalId: view.approvalId as string }
}

async function gated(): Promise<TestAgent> {
  const agent = await spawnAgent()
  await createGovernance(env).policies.put(agent.tenantId, 'ask', {
    scope: { level: 'tenant' },
    rules: [{ actionPattern: 'exec:echo', effect: 'require_approval', approvalTtlSeconds: TTL_SECONDS }],
    priority: 0,
  })
  return agent
}

async function approvalStatus(agent: TestAgent, approvalId: string): Promise<string> {
  return (await createGovernance(env).approvals.get(agent.tenantId, approvalId)).status
}

describe('approvals expire on the agent alarm', () => {
  it('stores the expiry with the parked task and arms the alarm for it', async () => {
    const agent = await gated()
    const { taskId } = await parked(agent, 'echo parked')
    await runInDurableObject(agent.stub, async (_instance, state) => {
      const row = state.storage.sql.exec<{ approval_expires_at: number }>('SELECT approval_expires_at FROM tasks WHERE id = ?', taskId).one()
      expect(row.approval_expires_at).toBe(agent.clock.now() + TTL_SECONDS * 1000)
      expect(await state.storage.getAlarm()).toBeLessThanOrEqual(row.approval_expires_at)
    })
  })

  it('fails the task POLICY_DENIED at the expiry, marks the approval expired, and the stream and WAL show approval.decided expired', async () => {
    const agent = await gated()
    const { taskId, approvalId } = await parked(agent, 'echo too-late')
    await advance(agent, TTL_SECONDS * 1000 - 1)
    expect([(await task(agent, taskId)).status, await approvalStatus(agent, approvalId)]).toEqual(['awaiting_approval', 'pending'])

    await advance(agent, 1)
    const failed = await task(agent, taskId)
    expect([failed.status, failed.error]).toEqual([
      'failed',
      { code: 'POLICY_DENIED', message: `the approval ${approvalId} was expired: expired before anyone decided` },
    ])
    expect(await approvalStatus(agent, approvalId)).toBe('expired')

    // The stream shows it as it shows a rejection: the parked task's end, with the reason.
    const stream = (await streamEvents(agent)).filter((e) => e.data.taskId === taskId)
    expect(stream.map((e) => e.type)).toEqual(['task.awaiting_approval', 'task.failed'])
    expect(stream[1]?.data).toMatchObject({ code: 'POLICY_DENIED', message: failed.error?.message })
    await advance(agent, WAL_FLUSH_DELAY_MS)
    const wal = await env.DB.prepare('SELECT type, data FROM wal_events WHERE execution_id = ?1 ORDER BY seq')
      .bind(failed.executionId)
      .all<{ type: string; data: string }>()
    const decided = wal.results.find((e) => e.type === 'approval.decided')
    expect(JSON.parse(decided?.data ?? '{}')).toEqual({ taskId, decision: 'expired', approvalId, reason: 'expired before anyone decided' })
    expect(wal.results.map((e) => e.type).slice(-2)).toEqual(['approval.decided', 'task.failed'])
  })

  it('leaves a task approved before the expiry alone when the later alarm fires', async () => {
    const agent = await gated()
    const { taskId, approvalId } = await parked(agent, 'echo in-time')
    await createGovernance(env).approvals.decide(agent.tenantId, approvalId, { decision: 'approve', approver: 'alice' })
    await agent.stub.resolveApproval(taskId, 'approved', { approvalId, approver: 'alice' })
    const done = await finished(agent, taskId)
    expect([done.status, done.result?.stdout]).toEqual(['completed', 'in-time\n'])
    await advance(agent, TTL_SECONDS * 1000)
    expect([(await task(agent, taskId)).status, await approvalStatus(agent, approvalId)]).toEqual(['completed', 'approved'])
  })
})
