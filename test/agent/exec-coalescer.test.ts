/**
 * The exec coalescer: concurrent execs for one agent share calls. A lone exec
 * goes at once in a call of its own; once MAX_IN_FLIGHT calls run, the execs
 * that arrive wait together and go as one call (at most MAX_EXEC_BATCH) when
 * a call ends, or after MAX_WAIT_MS; each gets its own item's result, and a
 * failed call fails each of its execs. Waiting members look again every
 * POLL_MS from timers of their own; time moves by hand
 * (test/helpers/manual-timers.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { MAX_EXEC_BATCH } from '../../src/agent/agent-calls'
import { ExecCoalescer, MAX_IN_FLIGHT, MAX_WAIT_MS } from '../../src/agent/exec-coalescer'
import type { RpcResult } from '../../src/agent/rpc-result'
import { POLL_MS } from '../../src/core/own-request-wait'
import { ManualTimers } from '../helpers/manual-timers'

/** A fake agent: records each call's items and answers when the test releases it. */
function fakeAgent() {
  const calls: { items: number[]; release: () => void; fail: (error: Error) => void }[] = []
  const send = (items: number[]): Promise<RpcResult<string>[]> =>
    new Promise((resolve, reject) => {
      calls.push({
        items,
        release: () => resolve(items.map((n) => (n < 0 ? { ok: false, error: { code: 'POLICY_DENIED', message: `item ${n}` } } : { ok: true, value: `ran ${n}` }))),
        fail: reject,
      })
    })
  return { calls, send }
}

/**
 * Long enough for a group's sender that waits for a call to look again after the call ended, and short of
 * MAX_WAIT_MS (its first look is within a guessed call's length, then every POLL_MS).
 */
const settle = () => timers.advance(2 * POLL_MS)
/** Long enough for every waiting request to have looked again, whatever it guessed. */
const everyoneLooks = () => timers.advance(10 * MAX_WAIT_MS)

let timers = new ManualTimers()

beforeEach(() => {
  timers = new ManualTimers()
})

describe('ExecCoalescer', () => {
  it('sends a lone exec at once, alone, and answers it with its own result', async () => {
    const coalescer = new ExecCoalescer<number, string>(timers)
    const agent = fakeAgent()
    const answer = coalescer.submit('t:a', 1, agent.send)
    await settle()
    expect(agent.calls.map((c) => c.items)).toEqual([[1]])
    agent.calls[0]?.release()
    await everyoneLooks()
    expect(await answer).toEqual({ ok: true, value: 'ran 1' })
    expect(coalescer.activeLanes()).toBe(0)
  })

  it(`runs up to ${MAX_IN_FLIGHT} call(s) per agent; the execs after them go together when a call ends, each with its own result in order`, async () => {
    const coalescer = new ExecCoalescer<number, string>(timers)
    const agent = fakeAgent()
    const singles = Array.from({ length: MAX_IN_FLIGHT }, (_, n) => n + 1)
    const grouped = [101, -102, 103]
    const answers = [...singles, ...grouped].map((n) => coalescer.submit('t:a', n, agent.send))
    await settle()
    expect(agent.calls.map((c) => c.items)).toEqual(singles.map((n) => [n]))
    agent.calls[0]?.release()
    await settle()
    expect(agent.calls.map((c) => c.items)).toEqual([...singles.map((n) => [n]), grouped])
    for (const c of agent.calls.slice(1)) c.release()
    await everyoneLooks()
    expect(await Promise.all(answers)).toEqual([
      ...singles.map((n) => ({ ok: true, value: `ran ${n}` })),
      { ok: true, value: 'ran 101' },
      { ok: false, error: { code: 'POLICY_DENIED', message: 'item -102' } },
      { ok: true, value: 'ran 103' },
    ])
    expect(coalescer.activeLanes()).toBe(0)
  })

  it('keeps agents apart: a busy agent does not hold back another agent\'s exec', async () => {
    const coalescer = new ExecCoalescer<number, string>(timers)
    const agent = fakeAgent()
    const singles = Array.from({ length: MAX_IN_FLIGHT }, (_, n) => n + 1)
    for (const n of [...singles, 50]) void coalescer.submit('t:a', n, agent.send)
    void coalescer.submit('t:b', 9, agent.send)
    await settle()
    expect(agent.calls.map((c) => c.items)).toEqual([...singles.map((n) => [n]), [9]])
  })

  it(`groups at most ${MAX_EXEC_BATCH} execs per call; the rest form the next group`, async () => {
    const coalescer = new ExecCoalescer<number, string>(timers)
    const agent = fakeAgent()
    const count = MAX_IN_FLIGHT + MAX_EXEC_BATCH + 3
    const answers = Array.from({ length: count }, (_, n) => coalescer.submit('t:a', n, agent.send))
    await settle()
    // Each call that ends lets one waiting group go: first the full one, then the rest.
    for (const c of agent.calls.slice(0, MAX_IN_FLIGHT)) c.release()
    await settle()
    agent.calls.at(-1)?.release()
    await settle()
    const sizes = agent.calls.map((c) => c.items.length)
    expect(sizes).toEqual([...Array<number>(MAX_IN_FLIGHT).fill(1), MAX_EXEC_BATCH, 3])
    for (const c of agent.calls) c.release()
    await everyoneLooks()
    const results = await Promise.all(answers)
    expect(results.map((r) => (r.ok ? r.value : r.error.code))).toEqual(Array.from({ length: count }, (_, n) => `ran ${n}`))
  })

  it(`does not let a long call hold an exec back more than ${MAX_WAIT_MS} ms`, async () => {
    const coalescer = new ExecCoalescer<number, string>(timers)
    const agent = fakeAgent()
    const singles = Array.from({ length: MAX_IN_FLIGHT }, (_, n) => n + 1)
    for (const n of singles) void coalescer.submit('t:a', n, agent.send)
    const late = coalescer.submit('t:a', 50, agent.send)
    await timers.advance(MAX_WAIT_MS - 1)
    expect(agent.calls.map((c) => c.items)).toEqual(singles.map((n) => [n]))
    await timers.advance(1)
    expect(agent.calls.map((c) => c.items)).toEqual([...singles.map((n) => [n]), [50]])
    agent.calls.at(-1)?.release()
    await everyoneLooks()
    expect(await late).toEqual({ ok: true, value: 'ran 50' })
  })

  it('fails every exec of a call that failed, with the call\'s error, and keeps no state behind', async () => {
    const coalescer = new ExecCoalescer<number, string>(timers)
    const agent = fakeAgent()
    const singles = Array.from({ length: MAX_IN_FLIGHT }, (_, n) => n + 1)
    const answers = [...singles, 101, 102].map((n) => coalescer.submit('t:a', n, agent.send).catch((error: Error) => error.message))
    await settle()
    agent.calls[0]?.release()
    await settle()
    agent.calls.at(-1)?.fail(new Error('agent reset'))
    for (const c of agent.calls.slice(1, -1)) c.release()
    await everyoneLooks()
    expect(await Promise.all(answers)).toEqual([...singles.map((n) => ({ ok: true, value: `ran ${n}` })), 'agent reset', 'agent reset'])
    expect(coalescer.activeLanes()).toBe(0)
  })
})
