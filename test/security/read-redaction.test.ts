/**
 * One redaction rule for everything returned (issue 16, finding 4): stored
 * data comes back through src/api/middleware/redact-response.ts, so secrets in
 * a task's command, metadata, idempotency key and output, a token label, a
 * policy pattern, a kill-switch reason and a metric label read back redacted.
 * The fuller canary, over every read route, the WAL and the dev log of a real
 * fabric, is in test/attack (npm run test:attack).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { newTenant, type TenantClient } from '../helpers/tenants'

const secret = (prefix: string) => `${prefix}${crypto.randomUUID().replaceAll('-', '')}`
const GH = secret('ghp_')
const SK = secret('sk-live0')
const FAB = secret('fab_')
const SLACK = `xoxb-${crypto.randomUUID()}`
const CANARIES = [GH, SK, FAB, SLACK]

let t: TenantClient
let taskId = ''

function assertClean(where: string, text: string): void {
  for (const canary of CANARIES) expect(text.includes(canary), `${where} contains ${canary.slice(0, 8)}…`).toBe(false)
}

beforeAll(async () => {
  t = await newTenant()
  await t.json('PUT', '/v1/policy/default', { effect: 'allow' })
  expect((await t.call('POST', '/v1/agents', { id: 'worker', heartbeatIntervalSeconds: 0 })).status).toBe(201)
  const submitted = await t.json<{ taskId: string }>('POST', '/v1/agents/worker/tasks', {
    command: `echo ${GH}; echo ${SK} >&2`,
    metadata: { note: SLACK, ticket: `token=${FAB}` },
    idempotencyKey: `key-${GH}`,
  })
  expect(submitted.status).toBe(201)
  taskId = submitted.body.taskId
  await t.call('GET', `/v1/tasks/${taskId}?wait=10`)
})

describe('stored data reads back redacted', () => {
  it('a task view: command, metadata, idempotency key and output', async () => {
    const response = await t.call('GET', `/v1/tasks/${taskId}`)
    const text = await response.text()
    expect(response.status).toBe(200)
    expect(JSON.parse(text).status).toBe('completed')
    assertClean('GET /v1/tasks/:id', text)
    expect(text).toContain('[REDACTED]')
    assertClean('GET /v1/agents/worker/tasks', await (await t.call('GET', '/v1/agents/worker/tasks')).text())
  })

  it('an exec answer with a secret on stdout', async () => {
    const response = await t.call('POST', '/v1/exec', { command: `echo ${SK}` })
    const text = await response.text()
    expect(JSON.parse(text)).toMatchObject({ ok: true, stdout: '[REDACTED]\n' })
  })

  it('a token label, a policy pattern, a kill-switch reason and a metric label', async () => {
    expect((await t.call('POST', `/v1/tenants/${t.tenantId}/tokens`, { scopes: ['read'], label: `ci ${GH}` })).status).toBe(201)
    assertClean('token list', await (await t.call('GET', `/v1/tenants/${t.tenantId}/tokens`)).text())
    expect((await t.call('PUT', '/v1/policies/p1', { rules: [{ actionPattern: `exec:${SK}`, effect: 'deny' }] })).status).toBe(201)
    assertClean('policy', await (await t.call('GET', '/v1/policies/p1')).text())
    assertClean('policies', await (await t.call('GET', '/v1/policies')).text())
    const thrown = await t.call('POST', '/v1/killswitch', { scope: 'agent', agentId: 'other', active: true, reason: `leaked ${FAB}` })
    expect(thrown.status).toBe(200)
    assertClean('kill switch answer', await thrown.text())
    assertClean('kill switch list', await (await t.call('GET', '/v1/killswitch')).text())
    expect((await t.call('POST', '/v1/agents', { id: 'metered', heartbeatIntervalSeconds: 0 })).status).toBe(201)
    expect((await t.call('POST', '/v1/agents/metered/usage', { tokens: 5, model: SLACK, costUsd: 0 })).status).toBe(200)
    const metrics = await (await t.call('GET', '/metrics')).text()
    expect(metrics).toContain('agent_fabric_tokens_total')
    assertClean('/metrics', metrics)
  })

  it('a new token value is still shown once, when issued', async () => {
    const issued = await t.json<{ value: string }>('POST', `/v1/tenants/${t.tenantId}/tokens`, { scopes: ['read'] })
    expect(issued.body.value).toMatch(/^fab_[0-9a-f]{64}$/)
  })
})
