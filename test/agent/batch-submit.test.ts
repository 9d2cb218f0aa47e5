/**
 * Batch submit: an array of tasks to one agent over HTTP and over the RPC
 * session, each item governed as if it came alone (validation, policy,
 * idempotency), one result per item in order, a failing item failing alone.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { call, json } from '../helpers/http'
import { openTenant, type ErrorBody } from '../helpers/tenants'

type BatchItem = { ok: true; task: { taskId: string; status: string; deduplicated: boolean } } | { ok: false; error: { code: string; message: string } }

async function agentWithRmDenied(): Promise<string> {
  const token = (await openTenant()).token.value
  expect((await call('POST', '/v1/agents', { token, body: { id: 'batcher', heartbeatIntervalSeconds: 0 } })).status).toBe(201)
  const policy = await call('PUT', '/v1/policies/no-rm', { token, body: { rules: [{ actionPattern: 'exec:rm', effect: 'deny' }] } })
  expect(policy.status).toBeLessThan(300)
  return token
}

const BATCH = [{ command: 'echo one' }, { command: 42 }, { command: 'rm -rf /x' }, { command: 'echo two', idempotencyKey: 'k1' }, { command: 'echo again', idempotencyKey: 'k1' }]

function outcomes(results: BatchItem[]) {
  return results.map((r) => (r.ok ? ['ok', r.task.status === 'pending' || r.task.status === 'running' || r.task.status === 'completed', r.task.deduplicated] : ['error', r.error.code]))
}

const EXPECTED = [['ok', true, false], ['error', 'VALIDATION_ERROR'], ['error', 'POLICY_DENIED'], ['ok', true, false], ['ok', true, true]]

describe('batch submit', () => {
  it('POST /v1/agents/:id/tasks with an array answers one result per task, in order, each governed as alone', async () => {
    const token = await agentWithRmDenied()
    const response = await call('POST', '/v1/agents/batcher/tasks', { token, body: BATCH })
    expect(response.status).toBe(200)
    const { results } = await json<{ results: BatchItem[] }>(response)
    expect(outcomes(results)).toEqual(EXPECTED)
    const [first, , , keyed, repeat] = results
    if (!first?.ok || !keyed?.ok || !repeat?.ok) throw new Error('expected handles')
    expect(repeat.task.taskId).toBe(keyed.task.taskId)
    const done = await json<{ status: string; result: { stdout: string } }>(await call('GET', `/v1/tasks/${first.task.taskId}?wait=10`, { token }))
    expect([done.status, done.result.stdout]).toEqual(['completed', 'one\n'])
  })

  it('refuses an empty batch and one over 1,000 tasks as a whole (400)', async () => {
    const token = await agentWithRmDenied()
    for (const body of [[], Array.from({ length: 1001 }, () => ({ command: 'true' }))]) {
      const response = await call('POST', '/v1/agents/batcher/tasks', { token, body })
      expect([response.status, (await json<ErrorBody>(response)).error.code]).toEqual([400, 'VALIDATION_ERROR'])
    }
  })

  it('the RPC session has the same: submitTasks(agentId, tasks)', async () => {
    const token = await agentWithRmDenied()
    const rpc = env.RPC_CLIENT as unknown as { tryCall(token: string, method: string, ...args: unknown[]): Promise<{ ok: boolean; value?: BatchItem[]; message?: string }> }
    const answer = await rpc.tryCall(token, 'submitTasks', 'batcher', BATCH)
    expect(answer.ok).toBe(true)
    expect(outcomes(answer.value ?? [])).toEqual(EXPECTED)
  })
})
