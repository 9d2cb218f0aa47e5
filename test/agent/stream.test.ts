import { describe, expect, it } from 'vitest'
import { unwrap } from '../../src/agent/rpc-result'
import type { AgentEvent } from '../../src/agent/stream'
import { advance, cancel, finished, openStream, spawnAgent, streamEvents, submit, type TestAgent } from './helpers'

/** Collects live events from an open socket until `count` have arrived. */
function collect(socket: WebSocket, count: number): Promise<AgentEvent[]> {
  const events: AgentEvent[] = []
  return new Promise((resolve) => {
    socket.addEventListener('message', (message) => {
      const parsed = JSON.parse(message.data as string) as AgentEvent
      if (!('seq' in parsed)) return
      events.push(parsed)
      if (events.length === count) resolve(events)
    })
  })
}

function summary(events: AgentEvent[]): Array<[string, unknown]> {
  return events.map((event) => [event.type, event.data.taskId ?? event.data.to])
}

async function readyMessage(agent: TestAgent): Promise<{ type: string; data: { lastSeq: number } }> {
  const socket = await openStream(agent)
  return new Promise((resolve) => {
    socket.addEventListener('message', (message) => {
      resolve(JSON.parse(message.data as string))
      socket.close(1000, 'done')
    })
  })
}

describe('status stream', () => {
  it('sends every task transition live, with increasing sequence numbers', async () => {
    const agent = await spawnAgent({ maxConcurrency: 1 })
    unwrap(await agent.stub.suspend(agent.caller))
    const socket = await openStream(agent)
    const live = collect(socket, 12)
    const ok = await submit(agent, { command: 'echo ok' })
    const retried = await submit(agent, { command: 'false', retry: { maxAttempts: 2, initialDelayMs: 100, retryOn: 'failed_command' } })
    const cancelled = await submit(agent, { command: 'echo never' })
    await cancel(agent, cancelled)
    const retrying = new Promise<void>((resolve) =>
      socket.addEventListener('message', (m) => JSON.parse(m.data as string).type === 'task.retrying' && resolve()),
    )
    unwrap(await agent.stub.resume(agent.caller))
    await finished(agent, ok)
    await retrying
    await advance(agent, 100)
    await finished(agent, retried)
    const events = await live
    socket.close(1000, 'done')
    expect(summary(events)).toEqual([
      ['task.queued', ok],
      ['task.queued', retried],
      ['task.queued', cancelled],
      ['task.cancelled', cancelled],
      ['agent.state', 'RUNNING'],
      ['task.started', ok],
      ['task.completed', ok],
      ['task.started', retried],
      ['task.retrying', retried],
      ['task.queued', retried],
      ['task.started', retried],
      ['task.failed', retried],
    ])
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => (events[0]?.seq ?? 0) + i))
    expect(events.every((e) => e.agentId === 'agent-1')).toBe(true)
    // One form of priority on a first queueing and on the retry's.
    const queuedRetried = events.filter((e) => e.type === 'task.queued' && e.data.taskId === retried)
    expect(queuedRetried.map((e) => e.data.priority)).toEqual(['normal', 'normal'])
  })

  it('replays what a client missed when it reconnects with ?since=', async () => {
    const agent = await spawnAgent()
    const { data } = await readyMessage(agent)
    const first = await submit(agent, { command: 'echo one' })
    await finished(agent, first)
    const missed = await streamEvents(agent, data.lastSeq)
    expect(summary(missed)).toEqual([
      ['task.queued', first],
      ['task.started', first],
      ['task.completed', first],
    ])
    expect(missed[0]?.seq).toBe(data.lastSeq + 1)
    // From the last one seen, nothing more.
    expect(await streamEvents(agent, missed[2]?.seq ?? 0)).toEqual([])
  })

  it('carries a task\'s facts redacted on every transition, as its WAL events do', async () => {
    const agent = await spawnAgent()
    const { data } = await readyMessage(agent)
    const secretType = `sk-live0${crypto.randomUUID().replaceAll('-', '')}`
    const taskId = await submit(agent, { command: 'echo one', type: secretType })
    await finished(agent, taskId)
    const events = await streamEvents(agent, data.lastSeq)
    expect(events.map((e) => [e.type, e.data.type])).toEqual([
      ['task.queued', '[REDACTED]'],
      ['task.started', '[REDACTED]'],
      ['task.completed', '[REDACTED]'],
    ])
    expect(JSON.stringify(events)).not.toContain(secretType)
  })

  it('streams lifecycle changes and heartbeats', async () => {
    const agent = await spawnAgent({ heartbeatIntervalSeconds: 5 })
    const socket = await openStream(agent)
    const live = collect(socket, 3)
    unwrap(await agent.stub.heartbeat(agent.caller))
    unwrap(await agent.stub.suspend(agent.caller, 'maintenance'))
    unwrap(await agent.stub.resume(agent.caller))
    const events = await live
    socket.close(1000, 'done')
    expect(events.map((e) => [e.type, e.data.to ?? null, e.data.reason ?? null])).toEqual([
      ['agent.heartbeat', null, null],
      ['agent.state', 'SUSPENDED', 'suspended: maintenance'],
      ['agent.state', 'RUNNING', 'resumed'],
    ])
  })

  it('answers "ping" with "pong" without waking the agent', async () => {
    const agent = await spawnAgent()
    const socket = await openStream(agent)
    const pong = new Promise<string>((resolve) => socket.addEventListener('message', (m) => m.data === 'pong' && resolve(m.data as string)))
    socket.send('ping')
    expect(await pong).toBe('pong')
    socket.close(1000, 'done')
  })
})
