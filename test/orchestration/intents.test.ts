import { describe, expect, it } from 'vitest'
import { newTenant } from '../helpers/tenants'

interface Receipt {
  intentId: string
  intentType: string
  agentId: string
  taskId: string
  executionId: string
  status: string
  deduplicated: boolean
  result?: { ok: boolean; stdout: string }
  trace: Record<string, string | number | boolean>
}
interface ErrorBody {
  error: { code: string; message: string; details?: { issues?: Array<{ path: string }> } }
}
interface WalBody {
  events: Array<{ executionId: string; seq: number; type: string; intentType?: string; correlationId?: string; data: Record<string, unknown> }>
}

describe('POST /v1/intents', () => {
  it('runs an intent through the lifecycle: accepted, capability resolved, decided, scheduled, started, completed', async () => {
    const t = await newTenant()
    const sent = await t.json<Receipt>('POST', '/v1/intents', {
      intent_type: 'text.echo',
      session_id: 'sess-1',
      payload: { text: 'hello intent' },
      correlation_id: 'corr-9',
      wait_seconds: 30,
    })
    expect(sent.status).toBe(202)
    expect(sent.body).toMatchObject({ intentType: 'text.echo', agentId: 'default', status: 'completed', deduplicated: false, result: { ok: true, stdout: 'hello intent\n' } })
    expect(sent.body.intentId).toMatch(/^int_[0-9a-f]{32}$/)
    expect(sent.body.trace).toMatchObject({ 'exec.kind': 'intent', 'exec.status': 'completed', 'exec.tier': 1, 'exec.exit_code': 0, 'exec.idempotent_replay': false })
    for (const key of Object.keys(sent.body.trace)) expect(key).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/)

    const wal = await t.json<WalBody>('GET', `/v1/wal?executionId=${sent.body.executionId}`)
    expect(wal.body.events.map((e) => e.type)).toEqual(['intent.accepted', 'capability.resolved', 'policy.decided', 'task.scheduled', 'task.started', 'task.completed'])
    expect(wal.body.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6])
    expect(wal.body.events.every((e) => e.intentType === 'text.echo')).toBe(true)
    expect(wal.body.events[0]?.data).toMatchObject({ intentId: sent.body.intentId, sessionId: 'sess-1', correlationId: 'corr-9', payload: { text: 'hello intent' } })
    expect(wal.body.events[0]?.correlationId).toBe('corr-9')
    const byType = await t.json<WalBody>('GET', '/v1/wal?type=text.echo')
    expect(byType.body.events.map((e) => e.executionId)).toEqual(Array(6).fill(sent.body.executionId))
  })

  it('validates the intent type, the payload contract and the capability', async () => {
    const t = await newTenant()
    const badType = await t.json<ErrorBody>('POST', '/v1/intents', { intent_type: 'Content-Upload', session_id: 's' })
    expect(badType.status).toBe(400)
    expect(badType.body.error.message).toContain('{realm}.{action}')
    const noSession = await t.json<ErrorBody>('POST', '/v1/intents', { intent_type: 'text.echo', payload: { text: 'x' } })
    expect(noSession.body.error.message).toContain('session_id')
    const unknown = await t.json<ErrorBody>('POST', '/v1/intents', { intent_type: 'content.teleport', session_id: 's' })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.message).toContain('GET /v1/capabilities')
    const badPayload = await t.json<ErrorBody>('POST', '/v1/intents', { intent_type: 'content.read', session_id: 's', payload: { file: '/x' } })
    expect(badPayload.status).toBe(400)
    expect(badPayload.body.error.details?.issues?.map((i) => i.path)).toEqual(['payload.path', 'payload'])
  })

  it('is governed by intent:<type> policies', async () => {
    const t = await newTenant()
    await t.json('PUT', '/v1/policies/no-writes', { rules: [{ actionPattern: 'intent:content.*', effect: 'deny' }] })
    const refused = await t.json<ErrorBody>('POST', '/v1/intents', { intent_type: 'content.write', session_id: 's', payload: { path: '/a.txt', content: 'x' } })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('POLICY_DENIED')
    expect(refused.body.error.message).toContain('intent:content.write')
  })

  it('runs an idempotency key once: the repeat returns the earlier execution and writes nothing new', async () => {
    const t = await newTenant()
    const body = { intent_type: 'content.write', session_id: 's', payload: { path: '/once.txt', content: 'first' }, idempotency_key: 'write-once', wait_seconds: 30 }
    const first = await t.json<Receipt>('POST', '/v1/intents', body)
    const second = await t.json<Receipt>('POST', '/v1/intents', { ...body, payload: { path: '/once.txt', content: 'second' } })
    expect(first.status).toBe(202)
    expect(second.status).toBe(200)
    expect(second.body).toMatchObject({ intentId: first.body.intentId, taskId: first.body.taskId, executionId: first.body.executionId, deduplicated: true })
    expect(second.body.trace['exec.idempotent_replay']).toBe(true)
    const file = await t.call('GET', '/v1/fs/once.txt')
    expect(await file.text()).toBe('first')
    const scheduled = await t.json<WalBody>('GET', '/v1/wal?eventType=task.scheduled')
    expect(scheduled.body.events.map((e) => e.executionId)).toEqual([first.body.executionId])
  })

  it('lists the capabilities with their contracts', async () => {
    const t = await newTenant()
    const listed = await t.json<{ capabilities: Array<{ intentType: string; determinism: string; tier?: number; inputSchema: { required?: string[] } }> }>('GET', '/v1/capabilities')
    const read = listed.body.capabilities.find((c) => c.intentType === 'content.read')
    expect(read).toMatchObject({ determinism: 'deterministic', tier: 1, inputSchema: { required: ['path'] } })
    expect(listed.body.capabilities.map((c) => c.intentType)).toEqual(['content.read', 'content.write', 'content.search', 'content.head', 'content.count', 'text.echo'])
  })
})
