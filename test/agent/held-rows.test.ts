/**
 * What the agent holds in memory of rows it wrote (src/agent/task-memory.ts, the budget's day row, the lease
 * rows) must be what is stored after every write path, and forgotten when a transaction rolls back: each
 * holder is compared with a fresh one that has to read the table. The held next due time may be early,
 * never late, and is read again once it has passed.
 */
import { runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { BudgetAccount } from '../../src/agent/budget/account'
import { LeaseCache } from '../../src/agent/budget/lease-cache'
import { limitsFromConfig } from '../../src/agent/budget/usage'
import { TaskQueue, type NewTask } from '../../src/agent/queue'
import { unwrap } from '../../src/agent/rpc-result'
import { finished, ManualClock, spawnAgent, START, submit, task } from './helpers'

const AGING_MS = 60_000

function newTask(id: string, fields: Partial<NewTask> = {}): NewTask {
  return {
    id,
    execution_id: `exe_${id}`,
    type: 'command',
    request: '{}',
    payload: '{}',
    metadata: '{}',
    priority: 2,
    status: 'pending',
    depends_on: '[]',
    timeout_ms: 30_000,
    deadline_at: null,
    retry: null,
    idempotency_key: null,
    intent_id: null,
    context: '{}',
    decision: null,
    route: null,
    wal_links: '{}',
    created_at: START,
    ...fields,
  }
}

/** Runs `test` with the SQLite of a freshly spawned agent (its tables made by the migrations). */
async function withAgentStorage(test: (storage: DurableObjectStorage) => void): Promise<void> {
  const agent = await spawnAgent()
  await runInDurableObject(agent.stub, (_instance, state) => test(state.storage))
}

/** A write inside a transaction that then fails: SQLite rolls it back. */
function rolledBack(storage: DurableObjectStorage, write: () => void): void {
  expect(() =>
    storage.transactionSync(() => {
      write()
      throw new Error('rolled back on purpose')
    }),
  ).toThrow('rolled back on purpose')
}

describe('task rows held by the queue', () => {
  it('answers every row as stored after each write path, and after a rollback once told to forget', async () => {
    await withAgentStorage((storage) => {
      const queue = new TaskQueue(storage.sql)
      const stored = (id: string) => new TaskQueue(storage.sql).get(id)
      queue.insertMany([newTask('t1'), newTask('t2')])
      expect([queue.get('t1'), queue.get('t2')]).toEqual([stored('t1'), stored('t2')])
      queue.markRunning(['t1', 't2'], START + 10)
      expect(queue.getMany(['t1', 't2'])).toEqual([stored('t1'), stored('t2')])
      queue.update('t1', { status: 'retry_wait', next_attempt_at: START + 500 })
      queue.finishMany([{ id: 't2', status: 'completed', result: '{"ok":true}', error: null }], START + 20)
      expect([queue.get('t1'), queue.get('t2')]).toEqual([stored('t1'), stored('t2')])
      expect([queue.get('t1')?.status, queue.get('t2')?.status]).toEqual(['retry_wait', 'completed'])
      rolledBack(storage, () => queue.update('t1', { status: 'pending' }))
      queue.forget()
      expect(queue.get('t1')).toEqual(stored('t1'))
      expect(queue.get('t1')?.status).toBe('retry_wait')
      expect(queue.purgeFinished(START + 21)).toEqual([{ id: 't2', executionId: 'exe_t2' }])
      expect(queue.get('t2')).toBeUndefined()
    })
  })

  it('orders held pending tasks as the table read does, aging included, and knows when none is left', async () => {
    await withAgentStorage((storage) => {
      const queue = new TaskQueue(storage.sql)
      queue.insertMany([
        newTask('low', { priority: 3, created_at: START }),
        newTask('normal', { priority: 2, created_at: START + 1000 }),
        newTask('high', { priority: 1, created_at: START + 2000 }),
        newTask('critical', { priority: 0, created_at: START + 3000 }),
      ])
      // A fresh queue reads the table; `queue` saw every pending task once and orders them from memory after.
      for (const now of [START + 3000, START + 2 * AGING_MS + 500, START + 3 * AGING_MS + 1500]) {
        const read = new TaskQueue(storage.sql).ready(now, AGING_MS, 10).map((row) => row.id)
        queue.ready(now, AGING_MS, 10)
        expect(queue.ready(now, AGING_MS, 10).map((row) => row.id)).toEqual(read)
      }
      expect(new TaskQueue(storage.sql).ready(START + 3 * AGING_MS + 1500, AGING_MS, 10).map((row) => row.id)).toEqual(['low', 'normal', 'high', 'critical'])
      queue.markRunning(['low', 'normal'], START + 4000)
      expect(queue.ready(START + 4000, AGING_MS, 10).map((row) => row.id)).toEqual(['critical', 'high'])
      queue.markRunning(['critical', 'high'], START + 4000)
      expect([queue.ready(START + 4000, AGING_MS, 10), new TaskQueue(storage.sql).ready(START + 4000, AGING_MS, 10)]).toEqual([[], []])
      // A task made ready again (a retry, an approval) is pending again for the held view too.
      queue.update('high', { status: 'pending', ready_at: START + 5000 })
      expect(queue.ready(START + 5000, AGING_MS, 10).map((row) => row.id)).toEqual(['high'])
    })
  })

  it('dispatches from a read-ahead as the table read does, until a rank spreads over two levels or a task becomes pending', async () => {
    await withAgentStorage((storage) => {
      const queue = new TaskQueue(storage.sql)
      const ids = (rows: ReadonlyArray<{ id: string }>) => rows.map((row) => row.id)
      // 120 normal tasks (more than a read-ahead holds, so it is what answers) ready 100 ms apart, all on one aging level at first, and after
      // them 3 low ones ready an interval earlier, so on the same level as the normal ones, behind them by seq.
      queue.insertMany([
        ...Array.from({ length: 120 }, (_, i) => newTask(`n${String(i).padStart(2, '0')}`, { created_at: START + i * 100 })),
        ...Array.from({ length: 3 }, (_, i) => newTask(`l${i}`, { priority: 3, created_at: START - AGING_MS })),
      ])
      let now = START + 12_000
      const dispatched: string[][] = []
      for (let round = 0; round < 14; round++) {
        const expected = ids(new TaskQueue(storage.sql).ready(now, AGING_MS, 4))
        const got = queue.ready(now, AGING_MS, 4)
        expect(ids(got)).toEqual(expected)
        dispatched.push(ids(got))
        queue.markRunning(ids(got), now)
        // A task made ready again (a retry) drops what was read ahead: it goes first, by seq.
        if (round === 4) queue.update('n00', { status: 'pending', ready_at: now })
        // Time moves: from round 10 the oldest normal task left has aged a level and the next ones not yet; the low
        // ones have aged too, and go before those.
        now = round === 9 ? START + 64_050 : now + 10
      }
      expect([dispatched[5]?.[0], dispatched[10]]).toEqual(['n00', ['n39', 'n40', 'l0', 'l1']])
    })
  })

  it('reads again when a read-ahead runs out before the rank does', async () => {
    await withAgentStorage((storage) => {
      const queue = new TaskQueue(storage.sql)
      queue.insertMany(Array.from({ length: 100 }, (_, i) => newTask(`t${String(i).padStart(2, '0')}`)))
      for (let round = 0; round < 25; round++) {
        const got = queue.ready(START, AGING_MS, 4).map((row) => row.id)
        expect(got).toEqual(Array.from({ length: 4 }, (_, i) => `t${String(round * 4 + i).padStart(2, '0')}`))
        queue.markRunning(got, START)
      }
      expect(queue.ready(START, AGING_MS, 4)).toEqual([])
    })
  })

  it('holds a next due time that is never later than the table\'s, and reads the table again once it has passed', async () => {
    await withAgentStorage((storage) => {
      const queue = new TaskQueue(storage.sql)
      const truth = (now: number) => new TaskQueue(storage.sql).nextDueAt(now)
      expect(queue.nextDueAt(START)).toBe(truth(START))
      queue.insertMany([newTask('deadline', { deadline_at: START + 9000 })])
      expect([queue.nextDueAt(START), truth(START)]).toEqual([START + 9000, START + 9000])
      queue.markRunning(['deadline'], START + 100)
      expect([queue.nextDueAt(START + 100), truth(START + 100)]).toEqual([START + 9000, START + 30_100])
      queue.update('deadline', { status: 'retry_wait', next_attempt_at: START + 2000 })
      expect([queue.nextDueAt(START + 100), truth(START + 100)]).toEqual([START + 2000, START + 2000])
      queue.update('deadline', { status: 'awaiting_approval', approval_expires_at: START + 1500 })
      expect([queue.nextDueAt(START + 100), truth(START + 100)]).toEqual([START + 1500, START + 1500])
      queue.finishMany([{ id: 'deadline', status: 'cancelled', result: null, error: null }], START + 200)
      // Early while its time is ahead (an alarm that finds nothing due); read again, and right, once it has passed.
      expect([queue.nextDueAt(START + 200), truth(START + 200)]).toEqual([START + 1500, undefined])
      expect(queue.nextDueAt(START + 1500)).toBeUndefined()
    })
  })

  it('bounds the waiting tasks from above without a count, and counts again when asked to', async () => {
    await withAgentStorage((storage) => {
      const queue = new TaskQueue(storage.sql)
      expect(queue.waitingAtMost()).toBe(0)
      queue.insertMany([newTask('a'), newTask('b', { status: 'blocked' })])
      expect([queue.waitingAtMost(), queue.waitingCount()]).toEqual([2, 2])
      queue.markRunning(['a'], START)
      expect([queue.waitingAtMost(), queue.waitingCount(), queue.waitingAtMost()]).toEqual([2, 1, 1])
    })
  })
})

describe('budget rows held by the agent', () => {
  it('keeps a lease row as stored through store, consume, expire and settle, and forgets a rolled-back write', async () => {
    await withAgentStorage((storage) => {
      const clock = new ManualClock()
      const leases = new LeaseCache(storage.sql, clock)
      const stored = () => new LeaseCache(storage.sql, clock)
      const view = (cache: LeaseCache) => [cache.live('tenant:t'), cache.unsettled('tenant:t')]
      const usage = { tokens: 0, computeSeconds: 2, costUsd: 0.5 }
      leases.store('tenant:t', { grant: { computeSeconds: 10 }, exhausted: [], ttlMs: 60_000, crossings: [] }, { tokens: 0, computeSeconds: 0, costUsd: 0 })
      expect(view(leases)).toEqual(view(stored()))
      leases.consume('tenant:t', usage)
      expect(view(leases)).toEqual(view(stored()))
      expect(leases.live('tenant:t')?.remaining).toEqual({ computeSeconds: 8 })
      leases.markSettled('tenant:t', usage)
      expect(view(leases)).toEqual(view(stored()))
      rolledBack(storage, () => leases.consume('tenant:t', usage))
      leases.forget()
      expect(view(leases)).toEqual(view(stored()))
      expect(leases.live('tenant:t')?.remaining).toEqual({ computeSeconds: 8 })
      leases.expire('tenant:t')
      expect([leases.live('tenant:t'), stored().live('tenant:t')]).toEqual([undefined, undefined])
    })
  })

  it('keeps the day row as charged (crossings too), opens the next day\'s, and forgets a rolled-back charge', async () => {
    await withAgentStorage((storage) => {
      const clock = new ManualClock()
      const limits = limitsFromConfig({ maxTokensPerDay: 100, alertThresholdPercent: 50 })
      const account = new BudgetAccount(storage.sql, clock, 'agent:held')
      const stored = () => new BudgetAccount(storage.sql, clock, 'agent:held').report(limits)
      expect(account.charge(limits, { tokens: 60, computeSeconds: 0, costUsd: 0 }).map((c) => c.level)).toEqual(['soft'])
      expect(account.report(limits)).toEqual(stored())
      // The crossing was written with the charge: the same threshold is not reported twice.
      expect(account.charge(limits, { tokens: 10, computeSeconds: 0, costUsd: 0 })).toEqual([])
      rolledBack(storage, () => account.charge(limits, { tokens: 30, computeSeconds: 0, costUsd: 0 }))
      account.forget()
      expect([account.used(limits).tokens, account.refusal(limits, { tokens: 30, computeSeconds: 0, costUsd: 0 })]).toEqual([70, undefined])
      clock.advance(86_400_000)
      expect([account.used(limits).tokens, account.report(limits)]).toEqual([0, stored()])
    })
  })
})

describe('dependents found without a read', () => {
  it('resolves a dependency recorded after finished tasks found none waiting, and one recorded after that', async () => {
    const agent = await spawnAgent({ maxConcurrency: 4 })
    expect((await finished(agent, await submit(agent, { command: 'echo warm' }))).status).toBe('completed')
    for (const round of [1, 2]) {
      unwrap(await agent.stub.suspend(agent.caller))
      const first = await submit(agent, { command: `echo first ${round}` })
      const second = await submit(agent, { command: `echo second ${round}`, dependsOn: [first] })
      expect((await task(agent, second)).status).toBe('blocked')
      unwrap(await agent.stub.resume(agent.caller))
      const done = await finished(agent, second)
      expect([done.status, done.result?.stdout]).toEqual(['completed', `second ${round}\n`])
    }
  })
})
