/**
 * Batch submit: an array of tasks to one agent over HTTP and over the RPC
 * session, each item governed as if it came alone (validation, policy,
 * idempotency, queue depth, kill switch), one result per item in order, a
 * failing item failing alone; the accepted tasks' WAL is gap-free per task.
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

  it('idempotency keys inside a batch: a repeat names the task its key already made, in the batch or before it; a refused first use makes no task', async () => {
    const token = await agentWithRmDenied()
    const before = await json<{ taskId: string }>(await call('POST', '/v1/agents/batcher/tasks', { token, body: { command: 'echo before', idempotencyKey: 'old' } }))
    const batch = [
      { command: 'echo again', idempotencyKey: 'old' },
      { command: 'rm -rf /y', idempotencyKey: 'denied-first' },
      { command: 'echo new', idempotencyKey: 'denied-first' },
      { command: 'echo repeat', idempotencyKey: 'denied-first' },
    ]
    const { results } = await json<{ results: BatchItem[] }>(await call('POST', '/v1/agents/batcher/tasks', { token, body: batch }))
    expect(outcomes(results)).toEqual([['ok', true, true], ['error', 'POLICY_DENIED'], ['ok', true, false], ['ok', true, true]])
    const [old, , made, repeat] = results
    if (!old?.ok || !made?.ok || !repeat?.ok) throw new Error('expected handles')
    expect(old.task.taskId).toBe(before.taskId)
    expect(repeat.task.taskId).toBe(made.task.taskId)
    const done = await json<{ result: { stdout: string } }>(await call('GET', `/v1/tasks/${made.task.taskId}?wait=10`, { token }))
    expect(done.result.stdout).toBe('new\n')
  })

  it('every accepted task of a batch has its own gap-free WAL: decided, scheduled, started, completed, in order', async () => {
    const token = await agentWithRmDenied()
    const { results } = await json<{ results: BatchItem[] }>(
      await call('POST', '/v1/agents/batcher/tasks', { token, body: Array.from({ length: 20 }, (_, i) => ({ command: `echo ${i}` })) }),
    )
    for (const [i, item] of results.entries()) {
      if (!item.ok) throw new Error(`task ${i} refused`)
      const task = await json<{ executionId: string; result: { stdout: string } }>(await call('GET', `/v1/tasks/${item.task.taskId}?wait=10`, { token }))
      expect(task.result.stdout).toBe(`${i}\n`)
      const { events } = await json<{ events: Array<{ seq: number; type: string }> }>(await call('GET', `/v1/wal?executionId=${task.executionId}`, { token }))
      expect(events.map((e) => [e.seq, e.type])).toEqual([[1, 'policy.decided'], [2, 'task.scheduled'], [3, 'task.started'], [4, 'task.completed']])
    }
  })

  it('items past the queue depth fail QUEUE_FULL alone, counting the batch\'s own accepted items', async () => {
    const token = (await openTenant()).token.value
    await call('POST', '/v1/agents', { token, body: { id: 'narrow', heartbeatIntervalSeconds: 0, maxQueueDepth: 2, maxConcurrency: 1 } })
    const body = [{ command: 'echo a' }, { command: 42 }, { command: 'echo b' }, { command: 'echo c' }]
    const { results } = await json<{ results: BatchItem[] }>(await call('POST', '/v1/agents/narrow/tasks', { token, body }))
    expect(outcomes(results)).toEqual([['ok', true, false], ['error', 'VALIDATION_ERROR'], ['ok', true, false], ['error', 'QUEUE_FULL']])
  })

  it('a kill switch stops the queued rest of a batch: nothing starts after the switch answered, and later items fail KILL_SWITCH', async () => {
    const token = (await openTenant()).token.value
    await call('POST', '/v1/agents', { token, body: { id: 'serial', heartbeatIntervalSeconds: 0, maxConcurrency: 1 } })
    const body = [{ command: 'sleep 30' }, ...Array.from({ length: 5 }, (_, i) => ({ command: `echo ${i}` }))]
    const { results } = await json<{ results: BatchItem[] }>(await call('POST', '/v1/agents/serial/tasks', { token, body }))
    const ids = results.map((r) => (r.ok ? r.task.taskId : ''))
    const thrown = await call('POST', '/v1/killswitch', { token, body: { scope: 'agent', agentId: 'serial', reason: 'mid-batch' } })
    expect(thrown.status).toBe(200)
    const running = await json<{ status: string; error: { code: string } }>(await call('GET', `/v1/tasks/${ids[0]}?wait=10`, { token }))
    expect([running.status, running.error.code]).toEqual(['failed', 'KILL_SWITCH'])
    for (const id of ids.slice(1)) {
      const queued = await json<{ status: string; attempts: number; startedAt?: string }>(await call('GET', `/v1/tasks/${id}`, { token }))
      expect([queued.status, queued.attempts, queued.startedAt]).toEqual(['pending', 0, undefined])
    }
    const later = await json<{ results: BatchItem[] }>(await call('POST', '/v1/agents/serial/tasks', { token, body: [{ command: 'echo x' }, { command: 'echo y' }] }))
    expect(outcomes(later.results)).toEqual([['error', 'KILL_SWITCH'], ['error', 'KILL_SWITCH']])
    // Lifted, the queued rest runs.
    await call('POST', '/v1/killswitch', { token, body: { scope: 'agent', agentId: 'serial', active: false, reason: 'resolved' } })
    const last = await json<{ status: string; result: { stdout: string } }>(await call('GET', `/v1/tasks/${ids[5]}?wait=10`, { token }))
    expect([last.status, last.result.stdout]).toEqual(['completed', '4\n'])
  })

  it('attempts that end together are each recorded as alone: a failing command fails alone, the rest complete, each with its own final WAL event', async () => {
    const token = await agentWithRmDenied()
    const body = [{ command: 'echo a' }, { command: 'false' }, { command: 'echo b' }, { command: 'echo c' }]
    const { results } = await json<{ results: BatchItem[] }>(await call('POST', '/v1/agents/batcher/tasks', { token, body }))
    const finals = []
    for (const item of results) {
      if (!item.ok) throw new Error('refused')
      const task = await json<{ status: string; executionId: string; error?: { code: string } }>(await call('GET', `/v1/tasks/${item.task.taskId}?wait=10`, { token }))
      const { events } = await json<{ events: Array<{ type: string }> }>(await call('GET', `/v1/wal?executionId=${task.executionId}`, { token }))
      finals.push([task.status, task.error?.code, events.at(-1)?.type])
    }
    expect(finals).toEqual([
      ['completed', undefined, 'task.completed'],
      ['failed', 'COMMAND_FAILED', 'task.failed'],
      ['completed', undefined, 'task.completed'],
      ['completed', undefined, 'task.completed'],
    ])
  })
})

