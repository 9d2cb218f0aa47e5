import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { call, json } from '../helpers/http'
import { openTenant, type ErrorBody } from '../helpers/tenants'

async function openToken(): Promise<string> {
  return (await openTenant()).token.value
}

async function spawn(token: string, body: Record<string, unknown>): Promise<Response> {
  return call('POST', '/v1/agents', { token, body: { heartbeatIntervalSeconds: 0, ...body } })
}

describe('agents over HTTP', () => {
  it('spawns, lists, describes and terminates an agent', async () => {
    const token = await openToken()
    const created = await spawn(token, { id: 'writer', type: 'research', model: 'm-1' })
    expect(created.status).toBe(201)
    expect(await json(created)).toMatchObject({ id: 'writer', state: 'RUNNING', config: { type: 'research', model: 'm-1' } })
    const list = await json<{ agents: Array<{ id: string; state: string; type: string }> }>(await call('GET', '/v1/agents', { token }))
    expect(list.agents.map((a) => [a.id, a.state, a.type])).toEqual([['writer', 'RUNNING', 'research']])
    const ended = await call('DELETE', '/v1/agents/writer?graceful=false', { token })
    expect([ended.status, (await json(ended)).state]).toEqual([200, 'TERMINATED'])
    const terminated = await json<{ agents: unknown[] }>(await call('GET', '/v1/agents?state=TERMINATED', { token }))
    expect(terminated.agents.length).toBe(1)
  })

  it('refuses a config beyond its agent type\'s limits with 400', async () => {
    const token = await openToken()
    const response = await spawn(token, { id: 'planner', type: 'planning', isolation: { cpuCores: 2 } })
    expect(response.status).toBe(400)
    expect((await json<ErrorBody>(response)).error.message).toContain('a planning agent may use at most 1 cores')
  })

  it('answers 409 to spawning an agent id that is already running', async () => {
    const token = await openToken()
    await spawn(token, { id: 'twice' })
    const again = await spawn(token, { id: 'twice' })
    expect([again.status, (await json<ErrorBody>(again)).error.code]).toEqual([409, 'CONFLICT'])
  })

  it('hides one tenant\'s agents and tasks from another: 404 for a guessed id', async () => {
    const owner = await openToken()
    const other = await openToken()
    await spawn(owner, { id: 'private' })
    const queued = await json<{ taskId: string }>(await call('POST', '/v1/agents/private/tasks', { token: owner, body: { command: 'echo hi' } }))
    for (const [method, path] of [
      ['GET', '/v1/agents/private'],
      ['POST', '/v1/agents/private/heartbeat'],
      ['GET', `/v1/tasks/${queued.taskId}`],
      ['DELETE', `/v1/tasks/${queued.taskId}`],
    ] as const) {
      const response = await call(method, path, { token: other })
      expect([path, response.status, (await json<ErrorBody>(response)).error.code]).toEqual([path, 404, 'NOT_FOUND'])
    }
  })

  it('queues a task, long-polls it to completion, and lists it by status', async () => {
    const token = await openToken()
    await spawn(token, { id: 'worker' })
    const created = await call('POST', '/v1/agents/worker/tasks', { token, body: { operation: 'echo', args: ['from', 'http'], priority: 'high' } })
    expect(created.status).toBe(201)
    const handle = await json<{ taskId: string; status: string; deduplicated: boolean }>(created)
    const done = await json<{ status: string; attempts: number; result: { stdout: string } }>(
      await call('GET', `/v1/tasks/${handle.taskId}?wait=30`, { token }),
    )
    expect([done.status, done.attempts, done.result.stdout]).toEqual(['completed', 1, 'from http\n'])
    const listed = await json<{ tasks: Array<{ id: string }> }>(await call('GET', '/v1/agents/worker/tasks?status=completed', { token }))
    expect(listed.tasks.map((t) => t.id)).toEqual([handle.taskId])
  })

  it('answers 429 QUEUE_FULL and 429 BUDGET_EXCEEDED', async () => {
    const token = await openToken()
    await spawn(token, { id: 'small', maxQueueDepth: 1, budget: { maxTokensPerDay: 10 } })
    await call('POST', '/v1/agents/small/suspend', { token })
    await call('POST', '/v1/agents/small/tasks', { token, body: { command: 'echo 1' } })
    const full = await call('POST', '/v1/agents/small/tasks', { token, body: { command: 'echo 2' } })
    expect([full.status, (await json<ErrorBody>(full)).error.code]).toEqual([429, 'QUEUE_FULL'])
    const usage = await call('POST', '/v1/agents/small/usage', { token, body: { tokens: 11, model: 'm' } })
    expect((await json<{ used: { tokens: number } }>(usage)).used.tokens).toBe(11)
    await call('DELETE', `/v1/agents/small?graceful=false`, { token })
    await spawn(token, { id: 'small', budget: { maxTokensPerDay: 10 } })
    const over = await call('POST', '/v1/agents/small/tasks', { token, body: { command: 'echo 3' } })
    expect([over.status, (await json<ErrorBody>(over)).error.code]).toEqual([429, 'BUDGET_EXCEEDED'])
  })

  it('sets and reads budgets per entity, and keeps other tenants out', async () => {
    const token = await openToken()
    const whoami = await json<{ tenantId: string }>(await call('GET', '/v1/whoami', { token }))
    const put = await call('PUT', `/v1/budgets/tenant:${whoami.tenantId}`, { token, body: { maxCostPerDayUsd: 5 } })
    expect(put.status).toBe(200)
    expect(await json(await call('GET', `/v1/budgets/tenant:${whoami.tenantId}`, { token }))).toEqual({
      entity: `tenant:${whoami.tenantId}`,
      budget: { maxCostPerDayUsd: 5, alertThresholdPercent: 80, period: 'reset' },
    })
    const foreign = await call('GET', '/v1/budgets/tenant:someone-else/usage', { token })
    expect(foreign.status).toBe(404)
    const bad = await call('GET', '/v1/budgets/team:x', { token })
    expect(bad.status).toBe(400)
  })

  it('runs POST /v1/exec on the tenant\'s default agent, spawned on first use, as an accounted task', async () => {
    const token = await openToken()
    const response = await call('POST', '/v1/exec', { token, body: { command: 'echo through the queue' } })
    expect(response.status).toBe(200)
    const result = await json<{ ok: boolean; stdout: string; tier: number }>(response)
    expect([result.ok, result.stdout, result.tier]).toEqual([true, 'through the queue\n', 1])
    const tasks = await json<{ tasks: Array<{ type: string; status: string }> }>(await call('GET', '/v1/agents/default/tasks', { token }))
    expect(tasks.tasks.map((t) => [t.type, t.status])).toEqual([['exec', 'completed']])
    const usage = await json<{ used: { computeSeconds: number } }>(await call('GET', '/v1/budgets/agent:default/usage', { token }))
    expect(usage.used.computeSeconds).toBeGreaterThan(0)
  })

  it('upgrades GET /v1/agents/:id/stream with ?token= and sends stream.ready', async () => {
    const token = await openToken()
    await spawn(token, { id: 'watched' })
    const response = await exports.default.fetch(
      new Request(`http://fabric.test/v1/agents/watched/stream?since=0&token=${encodeURIComponent(token)}`, { headers: { upgrade: 'websocket' } }),
    )
    expect(response.status).toBe(101)
    const socket = response.webSocket as WebSocket
    socket.accept()
    const messages: Array<{ type: string; seq?: number }> = []
    await new Promise<void>((resolve) =>
      socket.addEventListener('message', (m) => {
        const parsed = JSON.parse(m.data as string)
        messages.push(parsed)
        if (parsed.type === 'stream.ready') resolve()
      }),
    )
    socket.close(1000, 'done')
    expect(messages.map((m) => m.type)).toEqual(['agent.state', 'agent.state', 'stream.ready'])
    const plain = await call('GET', '/v1/agents/watched/stream', { token })
    expect(plain.status).toBe(426)
  })
})
