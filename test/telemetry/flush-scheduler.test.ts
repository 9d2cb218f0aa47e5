import { describe, expect, it } from 'vitest'
import { createFlushScheduler } from '../../src/telemetry/flush-scheduler'

/** A request context that records what it was asked to keep running. */
function context() {
  const held: Promise<unknown>[] = []
  return { held, waitUntil: (promise: Promise<unknown>) => void held.push(promise) }
}

/** A scheduler with delay 0 and a flush that counts its runs. */
function counted() {
  const scheduler = createFlushScheduler(0)
  const runs = { count: 0 }
  const flush = async () => {
    scheduler.started()
    runs.count += 1
  }
  return { scheduler, flush, runs }
}

describe('createFlushScheduler: one flush per burst, held open by one request', () => {
  it('runs one flush for a burst of callers, held by the first caller with a context only', async () => {
    const { scheduler, flush, runs } = counted()
    const [a, b, c] = [context(), context(), context()]
    scheduler.schedule(flush, a)
    scheduler.schedule(flush, b)
    scheduler.schedule(flush, c)
    expect([a.held.length, b.held.length, c.held.length]).toEqual([1, 0, 0])
    await Promise.all(a.held)
    expect(runs.count).toBe(1)
  })

  it('lets the first caller with a context hold a flush scheduled without one', async () => {
    const { scheduler, flush } = counted()
    const [a, b] = [context(), context()]
    scheduler.schedule(flush)
    scheduler.schedule(flush, a)
    scheduler.schedule(flush, b)
    expect([a.held.length, b.held.length]).toEqual([1, 0])
    await Promise.all(a.held)
  })

  it('holds the next burst again once a flush has started', async () => {
    const { scheduler, flush, runs } = counted()
    const [a, b] = [context(), context()]
    scheduler.schedule(flush, a)
    await Promise.all(a.held)
    scheduler.schedule(flush, b)
    expect(b.held).toHaveLength(1)
    expect(b.held[0]).not.toBe(a.held[0])
    await Promise.all(b.held)
    expect(runs.count).toBe(2)
  })
})
