import { describe, expect, it } from 'vitest'
import { call } from '../helpers/http'
import { newTenant, type TenantClient } from '../helpers/tenants'

interface ExecBody {
  ok: boolean
  executionId: string
  stdout: string
}
interface WalEventBody {
  executionId: string
  seq: number
  type: string
  traceId: string
  sessionId?: string
  data: Record<string, unknown>
}

const BACKENDS = ['memory', 'r2', 'kv'] as const

/** Every file of every backend of the tenant, with its bytes: what a replay must leave as it found. */
async function snapshot(t: TenantClient): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  const walk = async (backend: string, path: string): Promise<void> => {
    const response = await t.call('GET', `/v1/fs${path}?backend=${backend}`)
    if (response.headers.get('content-type')?.startsWith('application/json')) {
      const listing = await response.json<{ entries: Array<{ name: string }> }>()
      expect([backend, path, response.status]).toEqual([backend, path, 200])
      for (const { name } of listing.entries) await walk(backend, `${path === '/' ? '' : path}/${name}`)
    } else files[`${backend}:${path}`] = await response.text()
  }
  for (const backend of BACKENDS) await walk(backend, '/')
  return files
}

async function fetchPut(t: TenantClient, path: string, text: string): Promise<void> {
  const response = await call('PUT', `/v1/fs${path}`, { token: t.token, rawBody: text })
  expect(response.status).toBe(201)
}

describe('WAL queries', () => {
  it('returns at least three ordered events for an exec, each with the trace id', async () => {
    const t = await newTenant()
    const exec = await t.json<ExecBody>('POST', '/v1/exec', { command: 'echo wal' })
    const wal = await t.json<{ events: WalEventBody[] }>('GET', `/v1/wal?executionId=${exec.body.executionId}`)
    expect(wal.body.events.map((e) => e.type)).toEqual(['policy.decided', 'task.scheduled', 'task.started', 'task.completed'])
    expect(wal.body.events.map((e) => e.seq)).toEqual([1, 2, 3, 4])
    expect(new Set(wal.body.events.map((e) => e.traceId)).size).toBe(1)
  })

  it('paginates with a cursor and filters by event type and time', async () => {
    const t = await newTenant()
    for (const word of ['a', 'b', 'c']) await t.call('POST', '/v1/exec', { command: `echo ${word}` })
    const first = await t.json<{ events: WalEventBody[]; nextCursor?: number }>('GET', '/v1/wal?eventType=task.completed&limit=2')
    expect(first.body.events).toHaveLength(2)
    expect(first.body.nextCursor).toBeTypeOf('number')
    const rest = await t.json<{ events: WalEventBody[]; nextCursor?: number }>('GET', `/v1/wal?eventType=task.completed&limit=2&after=${first.body.nextCursor}`)
    expect(rest.body.events).toHaveLength(1)
    expect(rest.body.nextCursor).toBeUndefined()
    const future = await t.json<{ events: WalEventBody[] }>('GET', `/v1/wal?since=${encodeURIComponent('2999-01-01T00:00:00Z')}`)
    expect(future.body.events).toEqual([])
    const other = await newTenant()
    expect((await other.json<{ events: WalEventBody[] }>('GET', '/v1/wal')).body.events.filter((e) => e.type === 'task.completed')).toEqual([])
  })
})

describe('replay', () => {
  it('events_only returns the audit trail; state_only folds it without running anything', async () => {
    const t = await newTenant()
    const exec = await t.json<ExecBody>('POST', '/v1/exec', { command: 'echo replayed' })
    const events = await t.json<{ mode: string; events: WalEventBody[] }>('POST', `/v1/executions/${exec.body.executionId}/replay`, { mode: 'events_only' })
    expect(events.status).toBe(200)
    expect(events.body.events.map((e) => e.type)).toEqual(['policy.decided', 'task.scheduled', 'task.started', 'task.completed'])

    const state = await t.json<{ state: Record<string, unknown> }>('POST', `/v1/executions/${exec.body.executionId}/replay`, { mode: 'state_only' })
    expect(state.body.state).toMatchObject({ kind: 'task', executionId: exec.body.executionId, status: 'completed', agentId: 'default', attempts: 1, tier: 1, exitCode: 0, events: 4, decision: { effect: 'allow' } })
    expect((state.body.state.transitions as Array<{ to: string }>).map((s) => s.to)).toEqual(['pending', 'running', 'completed'])
    const after = await t.json<{ events: WalEventBody[] }>('GET', '/v1/wal?eventType=task.started')
    expect(after.body.events).toHaveLength(1)
  })

  it('full re-executes tier-1 work on a dry filesystem and reports no divergence, never touching the real store', async () => {
    const t = await newTenant()
    await fetchPut(t, '/in.txt', 'alpha\nbeta\ngamma\n')
    const exec = await t.json<ExecBody>('POST', '/v1/exec', { command: 'grep a /in.txt > /out.txt; cat /in.txt | wc -l' })
    expect(exec.body).toMatchObject({ ok: true, stdout: '3\n' })
    await fetchPut(t, '/out.txt', 'overwritten after the run')

    const full = await t.json<{ state: { status: string }; rerun: Record<string, unknown> }>('POST', `/v1/executions/${exec.body.executionId}/replay`, { mode: 'full' })
    expect(full.status).toBe(200)
    expect(full.body.state.status).toBe('completed')
    expect(full.body.rerun).toMatchObject({
      reexecuted: true,
      matches: true,
      differences: [],
      replayed: { ok: true, exitCode: 0, stdout: '3\n' },
      inputs: [{ path: '/in.txt', bytes: 17 }],
      missingInputs: [],
      writes: [{ path: '/out.txt', bytes: 17 }],
    })
    // The real store keeps what was put there after the run: the replay wrote only to its memory filesystem.
    expect(await (await t.call('GET', '/v1/fs/out.txt')).text()).toBe('overwritten after the run')
  })

  it('full leaves every backend byte-identical, and one replay never sees another replay\'s writes', async () => {
    const t = await newTenant()
    for (const backend of BACKENDS) {
      const put = await call('PUT', `/v1/fs/seed-${backend}.txt?backend=${backend}`, { token: t.token, rawBody: `${backend}\n` })
      expect(put.status).toBe(201)
    }
    const exec = await t.json<ExecBody>('POST', '/v1/exec', { command: 'echo replayed > /w.txt; cat /w.txt' })
    expect(exec.body.stdout).toBe('replayed\n')
    await t.call('DELETE', '/v1/fs/w.txt')
    const before = await snapshot(t)

    for (let round = 0; round < 2; round++) {
      const full = await t.json<{ rerun: { writes: Array<{ path: string }>; inputs: unknown[] } }>('POST', `/v1/executions/${exec.body.executionId}/replay`, { mode: 'full' })
      expect(full.body.rerun).toMatchObject({ reexecuted: true, matches: true, inputs: [], writes: [{ path: '/w.txt', bytes: 9 }] })
      expect(full.body.rerun.writes).toHaveLength(1)
    }
    expect(await snapshot(t)).toEqual(before)
    expect((await t.call('GET', '/v1/fs/w.txt?backend=memory')).status).toBe(404)
  })

  it('full reports divergence when the recorded inputs changed', async () => {
    const t = await newTenant()
    await fetchPut(t, '/n.txt', 'one\n')
    const exec = await t.json<ExecBody>('POST', '/v1/exec', { command: 'wc -l /n.txt' })
    await fetchPut(t, '/n.txt', 'one\ntwo\n')
    const full = await t.json<{ rerun: { matches: boolean; differences: unknown[] } }>('POST', `/v1/executions/${exec.body.executionId}/replay`, { mode: 'full' })
    expect(full.body.rerun.matches).toBe(false)
    expect(full.body.rerun.differences).toEqual([{ field: 'stdout', recorded: '1 /n.txt\n', replayed: '2 /n.txt\n' }])
  })

  it('full declines work that is not tier-1 native', async () => {
    const t = await newTenant()
    const exec = await t.json<ExecBody>('POST', '/v1/exec', { command: 'python3 -c "print(1)"' })
    const full = await t.json<{ rerun: unknown }>('POST', `/v1/executions/${exec.body.executionId}/replay`, { mode: 'full' })
    expect(full.body.rerun).toEqual({ reexecuted: false, reason: '"python3" is not a tier-1 native operation; only those re-execute without side effects' })
  })

  it('is tenant-scoped and names an unknown execution', async () => {
    const t = await newTenant()
    const exec = await t.json<ExecBody>('POST', '/v1/exec', { command: 'echo mine' })
    const other = await newTenant()
    const hidden = await other.json<{ error: { code: string } }>('POST', `/v1/executions/${exec.body.executionId}/replay`, { mode: 'events_only' })
    expect(hidden.status).toBe(404)
    expect(hidden.body.error.code).toBe('NOT_FOUND')
  })

  it('replays a session: every execution with an event in it', async () => {
    const t = await newTenant()
    const a = await t.json<{ executionId: string }>('POST', '/v1/intents', { intent_type: 'text.echo', session_id: 'sess-r', payload: { text: 'a' }, wait_seconds: 30 })
    const b = await t.json<{ executionId: string }>('POST', '/v1/intents', { intent_type: 'text.echo', session_id: 'sess-r', payload: { text: 'b' }, wait_seconds: 30 })
    await t.json('POST', '/v1/intents', { intent_type: 'text.echo', session_id: 'other', payload: { text: 'c' }, wait_seconds: 30 })
    const replay = await t.json<{ executions: Array<{ executionId: string; status: string; intent: { sessionId: string } }> }>('POST', '/v1/sessions/sess-r/replay', { mode: 'state_only' })
    expect(replay.body.executions.map((e) => [e.executionId, e.status, e.intent.sessionId])).toEqual([
      [a.body.executionId, 'completed', 'sess-r'],
      [b.body.executionId, 'completed', 'sess-r'],
    ])
  })
})

describe('provenance', () => {
  it('registers what an execution read and wrote, and follows a written file back to its inputs', async () => {
    const t = await newTenant()
    await fetchPut(t, '/raw.txt', 'x\ny\n')
    const copy = await t.json<ExecBody>('POST', '/v1/exec', { command: 'cat /raw.txt > /clean.txt' })
    const count = await t.json<ExecBody>('POST', '/v1/exec', { command: 'wc -l /clean.txt > /report.txt' })
    const report = await t.json<{ ref: string; writes: Array<{ executionId: string; status: string; inputs: Array<{ ref: string; writes: Array<{ executionId: string; inputs: Array<{ ref: string }> }> }> }> }>(
      'GET',
      '/v1/provenance?ref=/report.txt&depth=2',
    )
    expect(report.body.ref).toBe('/report.txt')
    expect(report.body.writes.map((w) => [w.executionId, w.status])).toEqual([[count.body.executionId, 'completed']])
    const [clean] = report.body.writes[0]?.inputs ?? []
    expect(clean?.ref).toBe('/clean.txt')
    expect(clean?.writes.map((w) => w.executionId)).toEqual([copy.body.executionId])
    expect(clean?.writes[0]?.inputs.map((i) => i.ref)).toEqual(['/raw.txt'])
    const raw = await t.json<{ reads: Array<{ executionId: string }>; writes: unknown[] }>('GET', '/v1/provenance?ref=/raw.txt')
    expect(raw.body.reads.map((r) => r.executionId)).toEqual([copy.body.executionId])
    expect(raw.body.writes).toEqual([])
  })
})
