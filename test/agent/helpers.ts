/**
 * Helpers for the agent tests: a fresh tenant per test (allowed by policy,
 * so the governed path admits its tasks), an agent whose clock the test
 * moves, and readers for the agent's public surfaces (tasks, stream).
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import type { Caller } from '../../src/agent/admission'
import type { AgentDO } from '../../src/agent/agent-do'
import type { Clock } from '../../src/agent/clock'
import { agentStub, type AgentStub } from '../../src/agent/router'
import { unwrap } from '../../src/agent/rpc-result'
import type { AgentEvent } from '../../src/agent/stream'
import type { TaskView } from '../../src/agent/task-record'
import { createGovernance } from '../../src/governance/governance'
import { newId } from '../../src/core/ids'

/** Far in the future, so no alarm the tests arm fires by itself: only runDurableObjectAlarm runs them. */
export const START = Date.UTC(2100, 0, 1, 12, 0, 0)

export class ManualClock implements Clock {
  constructor(private current: number = START) {}

  now(): number {
    return this.current
  }

  advance(ms: number): void {
    this.current += ms
  }
}

export interface TestAgent {
  tenantId: string
  agentId: string
  stub: AgentStub
  clock: ManualClock
  caller: Caller
}

export async function freshTenant(): Promise<string> {
  const tenantId = newId('tnt')
  await createGovernance(env).policies.setDefaultEffect(tenantId, 'allow')
  return tenantId
}

/** Puts a manual clock into the agent's object (again after an eviction). */
export async function useClock(stub: AgentStub, clock: Clock): Promise<void> {
  await runInDurableObject(stub, (instance: AgentDO) => {
    instance.clock = clock
  })
}

export async function spawnAgent(config: Record<string, unknown> = {}, tenant?: string): Promise<TestAgent> {
  const tenantId = tenant ?? (await freshTenant())
  const agentId = (config.id as string | undefined) ?? 'agent-1'
  const stub = agentStub(env, tenantId, agentId)
  const clock = new ManualClock()
  await useClock(stub, clock)
  const caller: Caller = { tenantId, principal: 'tok_test' }
  unwrap(await stub.spawn(caller, { id: agentId, heartbeatIntervalSeconds: 0, ...config }))
  return { tenantId, agentId, stub, clock, caller }
}

export async function submit(agent: TestAgent, input: Record<string, unknown>): Promise<string> {
  return unwrap(await agent.stub.submitTask(agent.caller, input)).taskId
}

/** The task once it has ended (the DO answers as soon as it does). */
export async function finished(agent: TestAgent, taskId: string): Promise<TaskView> {
  return unwrap(await agent.stub.getTask(agent.caller, taskId, 30))
}

export async function task(agent: TestAgent, taskId: string): Promise<TaskView> {
  return unwrap(await agent.stub.getTask(agent.caller, taskId))
}

export async function listTasks(agent: TestAgent, query: { status?: TaskView['status'] } = {}): Promise<TaskView[]> {
  return unwrap(await agent.stub.listTasks(agent.caller, query))
}

export async function cancel(agent: TestAgent, taskId: string): Promise<TaskView> {
  return unwrap(await agent.stub.cancelTask(agent.caller, taskId))
}

/** Moves the agent's time forward and runs its alarm; returns whether one was set. */
export async function advance(agent: TestAgent, ms: number): Promise<boolean> {
  agent.clock.advance(ms)
  return runDurableObjectAlarm(agent.stub)
}

/** Replays the agent's status stream from `since` over a real WebSocket, up to its `stream.ready`. */
export async function streamEvents(agent: TestAgent, since = 0): Promise<AgentEvent[]> {
  const socket = await openStream(agent, since)
  const events: AgentEvent[] = []
  await new Promise<void>((resolve) => {
    socket.addEventListener('message', (message) => {
      const parsed = JSON.parse(message.data as string) as AgentEvent | { type: string }
      if (parsed.type === 'stream.ready') resolve()
      else if ('seq' in parsed) events.push(parsed)
    })
  })
  socket.close(1000, 'done')
  return events
}

/** The first event (replayed or live) that matches: waits on the agent's own stream, not on time. */
export async function eventMatching(agent: TestAgent, matches: (event: AgentEvent) => boolean): Promise<AgentEvent> {
  const socket = await openStream(agent, 0)
  const event = await new Promise<AgentEvent>((resolve) => {
    socket.addEventListener('message', (message) => {
      const parsed = JSON.parse(message.data as string) as AgentEvent
      if ('seq' in parsed && matches(parsed)) resolve(parsed)
    })
  })
  socket.close(1000, 'done')
  return event
}

export async function openStream(agent: TestAgent, since?: number): Promise<WebSocket> {
  const url = since === undefined ? 'https://agent/stream' : `https://agent/stream?since=${since}`
  const response = await agent.stub.fetch(url, { headers: { upgrade: 'websocket', 'x-fabric-tenant': agent.tenantId } })
  const socket = response.webSocket
  if (!socket) throw new Error(`no WebSocket in the upgrade response (status ${response.status})`)
  socket.accept()
  return socket
}

export function startedOrder(events: AgentEvent[]): string[] {
  return events.filter((event) => event.type === 'task.started').map((event) => event.data.taskId as string)
}
