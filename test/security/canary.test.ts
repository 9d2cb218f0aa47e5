/**
 * The canary: secrets sent in an exec's `env` and a task's `payload` must appear
 * nowhere the fabric writes — the WAL, the decision audit, the task's stored
 * view, the logs (everything written to the console by the Worker and the
 * Durable Objects, which share this test isolate), or an error body.
 */
import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { call, json } from '../helpers/http'
import { openTenant } from '../helpers/tenants'
import { flushWalOwners } from '../../src/orchestration/wal-owners'

const CANARY = `canary-${crypto.randomUUID()}`
// A secret-looking value under an innocent key: found by its shape, not its key.
const SHAPED_CANARY = `ghp_${crypto.randomUUID().replaceAll('-', '')}`

let logged: string[] = []

beforeEach(() => {
  logged = []
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '))
    })
  }
})

afterEach(() => {
  vi.restoreAllMocks()
})

function assertClean(where: string, text: string): void {
  expect(text.includes(CANARY), `${where} contains the canary`).toBe(false)
  expect(text.includes(SHAPED_CANARY), `${where} contains the shaped canary`).toBe(false)
}

describe('canary secrets', () => {
  it('a secret in env and payload reaches neither the WAL, the audit, the stored task, the logs nor an error body', async () => {
    const { tenant, token } = await openTenant()

    const exec = await call('POST', '/v1/exec', {
      token: token.value,
      body: { command: 'echo hello', env: { API_KEY: CANARY, DB_PASSWORD: CANARY, NOTE: SHAPED_CANARY } },
    })
    expect(exec.status).toBe(200)
    assertClean('exec response', await exec.text())

    const submitted = await call('POST', '/v1/agents/default/tasks', {
      token: token.value,
      body: {
        command: 'echo task',
        env: { SECRET_TOKEN: CANARY },
        payload: { password: CANARY, nested: { apiKey: CANARY, list: [{ authorization: `Bearer ${CANARY}` }] }, note: SHAPED_CANARY },
      },
    })
    expect(submitted.status).toBe(201)
    const { taskId } = await json<{ taskId: string }>(submitted)
    const task = await call('GET', `/v1/tasks/${taskId}?wait=10`, { token: token.value })
    const view = await json<{ status: string; error?: unknown; result?: unknown }>(task)
    // Whether `echo` ran depends on the tiers present; the task only has to reach an end.
    expect(['completed', 'failed'], JSON.stringify(view)).toContain(view.status)

    // Error bodies: a bad request carrying the secrets next to the mistake.
    const bad = await call('POST', '/v1/exec', { token: token.value, body: { command: 'echo x', env: { API_KEY: CANARY, N: 1 } } })
    expect(bad.status).toBe(400)
    assertClean('error body', await bad.text())
    const badTask = await call('POST', '/v1/agents/default/tasks', { token: token.value, body: { command: 'echo', payload: { password: CANARY }, priority: CANARY } })
    expect(badTask.status).toBe(400)
    assertClean('task error body', await badTask.text())

    // The agents answer before D1 has their rows (group commit): have them deliver first, as a WAL reader does.
    await flushWalOwners(env, tenant.id, {})
    const wal = await env.DB.prepare('SELECT * FROM wal_events WHERE tenant_id = ?').bind(tenant.id).all()
    expect(wal.results.length).toBeGreaterThan(4)
    assertClean('WAL', JSON.stringify(wal.results))
    const audit = await env.DB.prepare('SELECT * FROM policy_decisions WHERE tenant_id = ?').bind(tenant.id).all()
    expect(audit.results.length).toBeGreaterThan(0)
    assertClean('decision audit', JSON.stringify(audit.results))
    assertClean('task view', JSON.stringify(await json(await call('GET', `/v1/tasks/${taskId}`, { token: token.value }))))
    expect(logged.length).toBeGreaterThan(0)
    assertClean('logs', logged.join('\n'))
  })
})
