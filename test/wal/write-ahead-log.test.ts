import { abortAllDurableObjects, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { newId } from '../../src/core/ids'
import type { WalEventInput } from '../../src/core/ports'
import { createWriteAheadLog, FLUSH_BATCH_SIZE } from '../../src/wal/write-ahead-log'

/** A fresh Durable Object (its own SQLite) per test. */
function freshObject() {
  return env.SAGA.get(env.SAGA.idFromName(newId('wal-test')))
}

function event(executionId: string, type: WalEventInput['type'], data: Record<string, unknown> = {}, extra: Partial<WalEventInput> = {}): WalEventInput {
  return { executionId, type, tenantId: 'tnt_wal', traceId: '0af7651916cd43dd8448eb211c80319c', data, ...extra }
}

interface D1Row {
  execution_id: string
  seq: number
  type: string
  data: string
  trace_id: string
  intent_type: string | null
}

async function d1Events(executionIds: string[]): Promise<D1Row[]> {
  const placeholders = executionIds.map((_, i) => `?${i + 1}`).join(',')
  const { results } = await env.DB.prepare(`SELECT * FROM wal_events WHERE execution_id IN (${placeholders}) ORDER BY id`)
    .bind(...executionIds)
    .all<D1Row>()
  return results
}

/** Real D1 underneath; counts batches and their statements, and can lose the acknowledgement of the next one (a crash after D1 committed). */
function observedD1(options: { loseNextAck?: boolean } = {}) {
  const statementsPerBatch: number[] = []
  let loseAck = options.loseNextAck ?? false
  const db = new Proxy(env.DB, {
    get(target, property) {
      if (property === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          statementsPerBatch.push(statements.length)
          const results = await target.batch(statements)
          if (loseAck) {
            loseAck = false
            throw new Error('connection lost after commit')
          }
          return results
        }
      }
      const value = Reflect.get(target, property) as unknown
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
  return { db, statementsPerBatch: () => statementsPerBatch }
}

describe('write-ahead log', () => {
  it('assigns a per-execution sequence, redacts data and keeps the trace id', async () => {
    await runInDurableObject(freshObject(), (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, env.DB)
      const a = wal.append(event('exe_a', 'intent.accepted', { command: 'curl -H "Authorization: Bearer abcdefgh12345678"', password: 'hunter2' }, { intentType: 'content.upload' }))
      const b = wal.append(event('exe_b', 'task.scheduled'))
      const a2 = wal.append(event('exe_a', 'task.started', {}, { tier: 1 }))
      expect([a.seq, b.seq, a2.seq]).toEqual([1, 1, 2])
      expect(a.data).toEqual({ command: 'curl -H "Authorization: Bearer [REDACTED]"', password: '[REDACTED]' })
      expect(a.traceId).toBe('0af7651916cd43dd8448eb211c80319c')
      // Later events of an execution inherit its intent type, so queries by intent type see the whole execution.
      expect(a2).toMatchObject({ intentType: 'content.upload', tier: 1 })
      expect(b.intentType).toBeUndefined()
      expect(wal.pending()).toBe(3)
    })
  })

  it('appends events of several executions together: each execution\'s seqs consecutive after its earlier ones, in order, in one append', async () => {
    const [execution, other] = [newId('exe'), newId('exe')]
    // Interleaved, as a batch or a slot-full of tasks appends them: each execution keeps its own sequence.
    const mixed = Array.from({ length: 10 }, (_, i) => event(i % 3 === 0 ? other : execution, 'task.attempt', { i }))
    const appended = await runInDurableObject(freshObject(), (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, env.DB)
      wal.append(event(execution, 'task.scheduled'))
      const together = wal.appendMany(mixed)
      const after = wal.append(event(execution, 'task.completed'))
      return { together: together.map((e) => [e.executionId === other ? 'other' : 'one', e.seq, e.data.i]), after: after.seq, pending: wal.pending() }
    })
    expect(appended.together).toEqual([
      ['other', 1, 0], ['one', 2, 1], ['one', 3, 2], ['other', 2, 3], ['one', 4, 4],
      ['one', 5, 5], ['other', 3, 6], ['one', 6, 7], ['one', 7, 8], ['other', 4, 9],
    ])
    expect([appended.after, appended.pending]).toEqual([8, 12])
  })

  it('delivers to D1 in append order, exactly once, however often it flushes', async () => {
    const [x, y] = [newId('exe'), newId('exe')]
    await runInDurableObject(freshObject(), async (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, env.DB)
      wal.append(event(x, 'intent.accepted'))
      wal.append(event(y, 'intent.accepted'))
      wal.append(event(x, 'task.completed', { exitCode: 0 }))
      expect(await wal.flush()).toBe(3)
      expect(await wal.flush()).toBe(0)
      expect(wal.pending()).toBe(0)
    })
    const rows = await d1Events([x, y])
    // One pack per execution, in the order each execution first appeared; inside a pack, seq order.
    expect(rows.map((r) => [r.execution_id, r.seq, r.type])).toEqual([
      [x, 1, 'intent.accepted'],
      [x, 2, 'task.completed'],
      [y, 1, 'intent.accepted'],
    ])
    expect(JSON.parse(rows[1]!.data)).toEqual({ exitCode: 0 })
  })

  it('group-commits: many appends reach D1 in batches of FLUSH_BATCH_SIZE', async () => {
    const executionId = newId('exe')
    const total = FLUSH_BATCH_SIZE * 2 + 7
    const observed = observedD1()
    await runInDurableObject(freshObject(), async (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, observed.db)
      for (let i = 0; i < total; i++) wal.append(event(executionId, 'task.attempt', { i }))
      expect(await wal.flush()).toBe(total)
    })
    // Three D1 transactions of two statements each: the execution's events as ONE pack, travelling as one JSON parameter
    // unpacked by json_each (D1 allows 100 per statement), and the pack id counter.
    expect(observed.statementsPerBatch()).toEqual([2, 2, 2])
    const packs = await env.DB.prepare('SELECT first_seq FROM wal_packs WHERE execution_id = ?1 ORDER BY id').bind(executionId).all<{ first_seq: number }>()
    expect(packs.results.map((p) => p.first_seq)).toEqual([1, FLUSH_BATCH_SIZE + 1, 2 * FLUSH_BATCH_SIZE + 1])
    const rows = await d1Events([executionId])
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    expect(rows.map((r) => (JSON.parse(r.data) as { i: number }).i)).toEqual(Array.from({ length: total }, (_, i) => i))
  })

  it('moves the pack id counter past every pack a flush wrote: the next flush\'s packs get new ids and none is dropped', async () => {
    const executions = Array.from({ length: 5 }, () => newId('exe'))
    await runInDurableObject(freshObject(), async (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, env.DB)
      for (const id of executions.slice(0, 3)) wal.append(event(id, 'intent.accepted'))
      expect(await wal.flush()).toBe(3)
      for (const id of executions.slice(3)) wal.append(event(id, 'intent.accepted'))
      expect(await wal.flush()).toBe(2)
    })
    const placeholders = executions.map((_, i) => `?${i + 1}`).join(',')
    const { results } = await env.DB.prepare(`SELECT id, execution_id FROM wal_packs WHERE execution_id IN (${placeholders}) ORDER BY id`)
      .bind(...executions)
      .all<{ id: number; execution_id: string }>()
    expect(results.map((row) => row.execution_id)).toEqual(executions)
    const ids = results.map((row) => row.id)
    // One flush's packs take consecutive ids; the second flush starts past them (other tests' flushes may come between).
    expect(ids[1]).toBe((ids[0] ?? 0) + 1)
    expect(ids[2]).toBe((ids[0] ?? 0) + 2)
    expect(ids[4]).toBe((ids[3] ?? 0) + 1)
    expect(ids[3]).toBeGreaterThan(ids[2] ?? 0)
    const { next } = (await env.DB.prepare('SELECT next FROM wal_pack_ids WHERE one = 1').first<{ next: number }>()) ?? { next: 0 }
    expect(next).toBeGreaterThan(ids[4] ?? 0)
  })

  it('a crash after D1 committed but before the outbox was cleared still delivers once', async () => {
    const executionId = newId('exe')
    const lossy = observedD1({ loseNextAck: true })
    const stub = freshObject()
    await runInDurableObject(stub, async (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, lossy.db)
      wal.append(event(executionId, 'intent.accepted'))
      wal.append(event(executionId, 'task.completed'))
      await expect(wal.flush()).rejects.toThrow('connection lost after commit')
      expect(wal.pending()).toBe(2)
    })
    expect(await d1Events([executionId])).toHaveLength(2)
    await runInDurableObject(stub, async (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, env.DB)
      expect(await wal.flush()).toBe(0)
      expect(wal.pending()).toBe(0)
    })
    expect((await d1Events([executionId])).map((r) => r.seq)).toEqual([1, 2])
  })

  it('sends kept D1 rows in the same transaction as the WAL rows, exactly once across a lost acknowledgement', async () => {
    const executionId = newId('exe')
    const referenceId = newId('ref')
    const lossy = observedD1({ loseNextAck: true })
    const stub = freshObject()
    const reference = { table: 'data_references' as const, values: [referenceId, 'tnt_wal', '/a.txt', 'file', executionId, 'read', '{}', '2026-01-01T00:00:00.000Z'] }
    await runInDurableObject(stub, async (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, lossy.db)
      wal.append(event(executionId, 'policy.decided'))
      wal.keep([reference])
      await expect(wal.flush()).rejects.toThrow('connection lost after commit')
      expect(wal.pending()).toBe(2)
      const again = createWriteAheadLog(state.storage.sql, lossy.db)
      await again.flush()
      expect(again.pending()).toBe(0)
    })
    // One transaction of three statements (the WAL pack, the pack id counter, the data_references rows), then the same again, ignored.
    expect(lossy.statementsPerBatch()).toEqual([3, 3])
    const refs = await env.DB.prepare('SELECT ref, direction FROM data_references WHERE id = ?1').bind(referenceId).all()
    expect(refs.results).toEqual([{ ref: '/a.txt', direction: 'read' }])
    expect((await d1Events([executionId])).map((r) => r.type)).toEqual(['policy.decided'])
  })

  it('packs each decision audit with its execution\'s events even when the events fill several flights', async () => {
    // 100 executions, each an audit then 3 events: 300 events take two flights of FLUSH_BATCH_SIZE, the 100 audits one.
    const executions = Array.from({ length: 100 }, () => newId('exe'))
    const audit = (executionId: string, i: number) => ({
      table: 'policy_decisions' as const,
      values: [newId('dec'), 'tnt_wal', executionId, 'agt', 'task', 'exec', 'allow', null, null, `rule ${i}`, 1, '{}', '[]', '2026-01-01T00:00:00.000Z'],
    })
    await runInDurableObject(freshObject(), async (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, env.DB)
      executions.forEach((executionId, i) => {
        wal.keep([audit(executionId, i)])
        wal.appendMany(['task.queued', 'task.started', 'task.completed'].map((type) => event(executionId, type as WalEventInput['type'])))
      })
      expect(FLUSH_BATCH_SIZE).toBeLessThan(300)
      expect(await wal.flush()).toBe(300)
      expect(wal.pending()).toBe(0)
    })
    const packs = await env.DB.prepare(
      `SELECT execution_id, json_array_length(events) AS events, audit IS NOT NULL AS audited FROM wal_packs
       WHERE execution_id IN (SELECT value FROM json_each(?1)) ORDER BY id`,
    )
      .bind(JSON.stringify(executions))
      .all<{ execution_id: string; events: number; audited: number }>()
    // No pack holds an audit alone; only the execution cut by the first flight's event limit has two packs.
    expect(packs.results.filter((pack) => pack.events === 0)).toEqual([])
    expect(packs.results).toHaveLength(101)
    expect(packs.results.filter((pack) => pack.audited === 1).map((pack) => pack.execution_id)).toEqual(executions)
    const decided = await env.DB.prepare('SELECT execution_id, reason FROM policy_decisions WHERE execution_id IN (SELECT value FROM json_each(?1)) ORDER BY decided_at, reason')
      .bind(JSON.stringify(executions))
      .all<{ execution_id: string }>()
    expect(new Set(decided.results.map((row) => row.execution_id)).size).toBe(100)
    expect(decided.results).toHaveLength(100)
  })

  it('survives a crash of the object between append and flush', async () => {
    const executionId = newId('exe')
    const id = env.SAGA.idFromName(newId('wal-test'))
    await runInDurableObject(env.SAGA.get(id), (_instance, state) => {
      createWriteAheadLog(state.storage.sql, env.DB).append(event(executionId, 'intent.accepted'))
    })
    // Crash every object: in-memory state is gone, only SQLite remains (old stubs are broken, so get a new one).
    await abortAllDurableObjects()
    await runInDurableObject(env.SAGA.get(id), async (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, env.DB)
      expect(wal.append(event(executionId, 'task.completed')).seq).toBe(2)
      expect(await wal.flush()).toBe(2)
    })
    expect((await d1Events([executionId])).map((r) => [r.seq, r.type])).toEqual([
      [1, 'intent.accepted'],
      [2, 'task.completed'],
    ])
  })

  it('appends inside the caller transaction: a rolled-back transaction leaves no event and no gap', async () => {
    await runInDurableObject(freshObject(), (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, env.DB)
      expect(() =>
        state.storage.transactionSync(() => {
          wal.append(event('exe_tx', 'intent.accepted'))
          throw new Error('enqueue failed')
        }),
      ).toThrow('enqueue failed')
      expect(wal.pending()).toBe(0)
      expect(wal.append(event('exe_tx', 'intent.accepted')).seq).toBe(1)
    })
  })

  it('continues each execution\'s seqs gap-free across flushes, a rolled-back append, a split append and a new instance', async () => {
    const [x, y] = [newId('exe'), newId('exe')]
    const id = env.SAGA.idFromName(newId('wal-test'))
    const big = 'v'.repeat(400_000)
    await runInDurableObject(env.SAGA.get(id), async (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, env.DB)
      expect(wal.append(event(x, 'intent.accepted')).intentType).toBeUndefined()
      expect(wal.append(event(x, 'task.scheduled', {}, { intentType: 'content.upload' }))).toMatchObject({ seq: 2, intentType: 'content.upload' })
      expect(wal.append(event(y, 'task.scheduled')).seq).toBe(1)
      // The outbox is emptied: where each execution stands is kept beside it.
      expect(await wal.flush()).toBe(3)
      expect(wal.pending()).toBe(0)
      expect(() =>
        state.storage.transactionSync(() => {
          wal.appendMany([event(x, 'task.started'), event(x, 'task.completed')])
          throw new Error('rolled back on purpose')
        }),
      ).toThrow('rolled back on purpose')
      expect(wal.append(event(x, 'task.started'))).toMatchObject({ seq: 3, intentType: 'content.upload' })
      // From here each execution has rows in the outbox ahead of what the flush kept for it.
      wal.append(event(y, 'task.started'))
      // Three events too big for one statement's parameter (two chunks): each execution's seqs stay consecutive.
      const split = wal.appendMany([event(x, 'task.attempt', { big }), event(y, 'task.attempt', { big }), event(x, 'task.attempt', { big })])
      expect(split.map((e) => [e.executionId === x ? 'x' : 'y', e.seq])).toEqual([['x', 4], ['y', 3], ['x', 5]])
    })
    await abortAllDurableObjects()
    await runInDurableObject(env.SAGA.get(id), async (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, env.DB)
      expect(wal.append(event(x, 'task.completed'))).toMatchObject({ seq: 6, intentType: 'content.upload' })
      expect(wal.append(event(y, 'task.completed')).seq).toBe(4)
      expect(await wal.flush()).toBe(7)
      expect(wal.append(event(y, 'task.attempt')).seq).toBe(5)
    })
    const rows = await d1Events([x, y])
    const seqs = (of: string) => rows.filter((r) => r.execution_id === of).map((r) => r.seq)
    expect(seqs(x)).toEqual([1, 2, 3, 4, 5, 6])
    expect(seqs(y)).toEqual([1, 2, 3, 4])
    expect(rows.filter((r) => r.execution_id === x).map((r) => r.intent_type)).toEqual([null, 'content.upload', 'content.upload', 'content.upload', 'content.upload', 'content.upload'])
  })

  it('concurrent flushes deliver each row once', async () => {
    const executionId = newId('exe')
    await runInDurableObject(freshObject(), async (_instance, state) => {
      const wal = createWriteAheadLog(state.storage.sql, env.DB)
      for (let i = 0; i < 5; i++) wal.append(event(executionId, 'task.attempt', { i }))
      const [first, second] = await Promise.all([wal.flush(), wal.flush()])
      expect(first + second).toBe(5)
    })
    expect((await d1Events([executionId])).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5])
  })
})
