/**
 * Waiting inside one request for state another request changes: checked at
 * once, first after the caller's guess, then at growing intervals (never more
 * than MAX_POLL_MS apart), so a change is seen soon and a long wait costs few
 * looks; with a timeout, undefined when it passes. Time moves by hand
 * (test/helpers/manual-timers.ts).
 */
import { describe, expect, it } from 'vitest'
import { doShared, MAX_POLL_MS, POLL_MS, SharedCalls, waitForShared, waitInOwnRequest, type SharedWork } from '../../src/core/own-request-wait'
import { ManualTimers } from '../helpers/manual-timers'

/** A value that appears when the test sets it, and how often it was looked at. */
function shared() {
  const state = { value: undefined as string | undefined, looks: 0 }
  return { state, ready: () => (state.looks++, state.value) }
}

describe('waitInOwnRequest', () => {
  it('answers at once, without a timer, when the value is already there', async () => {
    const { state, ready } = shared()
    const timers = new ManualTimers()
    state.value = 'there'
    expect(await waitInOwnRequest(ready, {}, timers)).toBe('there')
    expect([state.looks, timers.pending()]).toEqual([1, 0])
  })

  it('looks first after the guess, then every POLL_MS at the start, and answers the value it finds', async () => {
    const { state, ready } = shared()
    const timers = new ManualTimers()
    let answer: string | undefined
    void waitInOwnRequest(ready, { firstLookMs: 5 }, timers).then((value) => (answer = value))
    await timers.advance(4)
    expect(state.looks).toBe(1)
    await timers.advance(1)
    expect(state.looks).toBe(2)
    state.value = 'changed'
    await timers.advance(POLL_MS)
    expect([answer, state.looks, timers.pending()]).toEqual(['changed', 3, 0])
  })

  it('spaces its looks as the wait grows: a change after a long wait is seen within MAX_POLL_MS, after few looks', async () => {
    const { state, ready } = shared()
    const timers = new ManualTimers()
    let answer: string | undefined
    void waitInOwnRequest(ready, {}, timers).then((value) => (answer = value))
    await timers.advance(10_000)
    const looksInTenSeconds = state.looks
    state.value = 'late'
    await timers.advance(MAX_POLL_MS - 1)
    await timers.advance(1)
    expect(answer).toBe('late')
    // 1 ms apart at first, then an eighth of the wait so far, at most MAX_POLL_MS: about 240 looks, not 10,000.
    expect(looksInTenSeconds).toBeLessThan(300)
  })

  it('answers undefined when the timeout passes first, and keeps no timer', async () => {
    const { ready } = shared()
    const timers = new ManualTimers()
    let answer: string | undefined = 'unset'
    void waitInOwnRequest(ready, { firstLookMs: 50, timeoutMs: 10 }, timers).then((value) => (answer = value))
    await timers.advance(9)
    expect(answer).toBe('unset')
    await timers.advance(1)
    expect([answer, timers.pending()]).toEqual([undefined, 0])
  })

  it('doShared records the value or the error of work done for others; waitForShared answers it or throws it', async () => {
    const timers = new ManualTimers()
    const done: SharedWork<number> = { outcome: undefined }
    const failed: SharedWork<number> = { outcome: undefined }
    const waiting = [waitForShared(done, {}, timers), waitForShared(failed, {}, timers).catch((error: Error) => error.message)]
    let finish = (_value: number): void => undefined
    const work = doShared(done, () => new Promise<number>((resolve) => (finish = resolve)))
    await expect(doShared(failed, () => Promise.reject(new Error('lease call failed')))).rejects.toThrow('lease call failed')
    finish(42)
    expect(await work).toBe(42)
    await timers.advance(POLL_MS)
    expect(await Promise.all(waiting)).toEqual([42, 'lease call failed'])
  })

  it('SharedCalls runs one call per key at a time: the others get its value or its error, and a later call runs anew', async () => {
    const timers = new ManualTimers()
    const calls = new SharedCalls<string>(timers)
    const started: string[] = []
    let finish = (_value: string): void => undefined
    const work = (key: string) => () => {
      started.push(key)
      return key === 'bad' ? Promise.reject(new Error('lookup failed')) : new Promise<string>((resolve) => (finish = resolve))
    }
    const first = calls.once('a', work('a'))
    const second = calls.once('a', work('a'))
    const failing = [calls.once('bad', work('bad')), calls.once('bad', work('bad'))].map((call) => call.catch((error: Error) => error.message))
    finish('found')
    await timers.advance(POLL_MS)
    expect([await first, await second, ...(await Promise.all(failing))]).toEqual(['found', 'found', 'lookup failed', 'lookup failed'])
    expect(started).toEqual(['a', 'bad'])
    const again = calls.once('a', work('a'))
    finish('again')
    expect(await again).toBe('again')
    expect(started).toEqual(['a', 'bad', 'a'])
  })
})
