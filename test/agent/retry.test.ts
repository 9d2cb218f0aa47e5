import { describe, expect, it } from 'vitest'
import { backoffDelayMs, hasAttemptsLeft } from '../../src/agent/retry'
import { failureKind, failureResponse } from '../../src/agent/failure-policy'
import { advance, eventMatching, finished, spawnAgent, START, submit, task, type TestAgent } from './helpers'

describe('backoff math', () => {
  it('doubles from initialDelayMs for exponential backoff, capped at maxDelayMs', () => {
    const policy = { maxAttempts: 10, backoff: 'exponential' as const, initialDelayMs: 100, maxDelayMs: 1000 }
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(policy, n))).toEqual([100, 200, 400, 800, 1000, 1000])
  })

  it('grows by initialDelayMs per attempt for linear backoff, capped at maxDelayMs', () => {
    const policy = { maxAttempts: 10, backoff: 'linear' as const, initialDelayMs: 300, maxDelayMs: 1000 }
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(policy, n))).toEqual([300, 600, 900, 1000, 1000])
  })

  it('allows another attempt while attempts < maxAttempts (one attempt without a policy)', () => {
    expect([hasAttemptsLeft(undefined, 1), hasAttemptsLeft({ maxAttempts: 3, backoff: 'linear', initialDelayMs: 0, maxDelayMs: 0 }, 2)]).toEqual([
      false,
      true,
    ])
  })

  it('maps the failure table of seed 000 to responses', () => {
    expect(
      ['TIMEOUT', 'RESOURCE_EXHAUSTED', 'DEPENDENCY_FAILED', 'POLICY_DENIED', 'COMMAND_FAILED', 'PARSE_ERROR', 'CANCELLED'].map((code) =>
        failureResponse(failureKind(code), true, false),
      ),
    ).toEqual(['fail', 'suspend', 'escalate', 'fail', 'fail', 'fail', 'cancel'])
    expect([true, false].map((attemptsLeft) => failureResponse(failureKind('COMMAND_FAILED'), attemptsLeft, true))).toEqual(['retry', 'fail'])
    expect([true, false].map((attemptsLeft) => failureResponse(failureKind('RPC_ERROR'), attemptsLeft, false))).toEqual(['retry', 'fail'])
  })
})

describe('retries driven by alarms', () => {
  it('runs `false` with retry.maxAttempts 3 three times, exponential delays 1s then 2s, and reports 3 attempts', async () => {
    const agent = await spawnAgent()
    const id = await submit(agent, { command: 'false', retry: { maxAttempts: 3, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 60_000, retryOn: 'failed_command' } })
    await retrying(agent, id, 1)
    let view = await task(agent, id)
    expect([view.attempts, view.nextAttemptAt]).toEqual([1, new Date(START + 1000).toISOString()])
    await advance(agent, 1000)
    await retrying(agent, id, 2)
    view = await task(agent, id)
    expect([view.attempts, view.nextAttemptAt]).toEqual([2, new Date(START + 1000 + 2000).toISOString()])
    await advance(agent, 2000)
    const final = await finished(agent, id)
    expect([final.status, final.attempts, final.maxAttempts, final.error?.code, final.result?.exitCode]).toEqual(['failed', 3, 3, 'COMMAND_FAILED', 1])
  })

  it('fails a command that ran and failed after one attempt unless retryOn says failed_command, and says how to retry it', async () => {
    const agent = await spawnAgent()
    const id = await submit(agent, { command: 'false', retry: { maxAttempts: 3, initialDelayMs: 1000 } })
    const final = await finished(agent, id)
    expect([final.status, final.attempts, final.error?.code, final.result?.error?.retriable]).toEqual(['failed', 1, 'COMMAND_FAILED', false])
    expect(final.error?.message).toContain('set retry.retryOn to "failed_command"')
  })

  it('spaces linear retries by initialDelayMs times the attempt number', async () => {
    const agent = await spawnAgent()
    const id = await submit(agent, { command: 'false', retry: { maxAttempts: 3, backoff: 'linear', initialDelayMs: 500, maxDelayMs: 60_000, retryOn: 'failed_command' } })
    await retrying(agent, id, 1)
    expect((await task(agent, id)).nextAttemptAt).toBe(new Date(START + 500).toISOString())
    await advance(agent, 500)
    await retrying(agent, id, 2)
    expect((await task(agent, id)).nextAttemptAt).toBe(new Date(START + 500 + 1000).toISOString())
  })

  it('does not run a retry before its time: an early alarm leaves it waiting', async () => {
    const agent = await spawnAgent()
    const id = await submit(agent, { command: 'false', retry: { maxAttempts: 2, initialDelayMs: 5000, retryOn: 'failed_command' } })
    await retrying(agent, id, 1)
    await advance(agent, 4999)
    expect([(await task(agent, id)).status, (await task(agent, id)).attempts]).toEqual(['retry_wait', 1])
  })
})

/** Waits for the task's `task.retrying` event after attempt `attempts` (on the status stream, not on time). */
async function retrying(agent: TestAgent, id: string, attempts: number): Promise<void> {
  await eventMatching(agent, (event) => event.type === 'task.retrying' && event.data.taskId === id && event.data.attempts === attempts)
}
