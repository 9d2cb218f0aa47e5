/**
 * Concurrent execs for one agent share agent requests. An isolate serving
 * many callers of one agent at once (8 clients of a tenant's `default`
 * agent, say) would otherwise make one Durable Object request per exec, and
 * the agent would admit and commit each on its own. Here an exec that finds
 * MAX_IN_FLIGHT calls to its agent already running waits for one to end, and
 * goes then, together with every exec that waited with it, as one
 * `execBatch` call: at most MAX_EXEC_BATCH execs, admitted by the agent in
 * one pass and one transaction as a batch submit is, each governed exactly
 * as if it came alone and answered with its own result.
 *
 * - A lone exec, or one whose agent has no call running from this isolate,
 *   goes at once: sequential callers pay nothing for this.
 * - No exec waits longer than MAX_WAIT_MS for a call to end, so a long run
 *   (a tier-4 build) delays the execs behind it by that much at most; after
 *   it, they group behind the short calls that overtook it.
 * - The first exec of a waiting group sends the group from its own request
 *   (which keeps the call running should its client leave: `keepRunning`
 *   in exec-on-agent.ts). The others wait for its answer in their own
 *   requests (src/core/own-request-wait.ts): no request awaits a promise
 *   another request settles.
 */
import { MAX_EXEC_BATCH } from './agent-calls'
import type { RpcResult } from './rpc-result'
import { doShared, realTimers, waitForShared, waitInOwnRequest, type SharedWork, type Timers } from '../core/own-request-wait'

/**
 * Calls to one agent this isolate lets run before execs start to wait and group. With one, execs waited
 * longer than their calls saved (8 clients: 12 % fewer execs/s); with two, execs/s and CPU per exec are
 * what they were without grouping, and 1,000 execs take 860-885 agent requests (docs/benchmarks.md).
 */
export const MAX_IN_FLIGHT = 2
/** The longest an exec waits for a running call to end before its group goes anyway. */
export const MAX_WAIT_MS = 10

/** Sends a group of items to their agent as one call: one result per item, in order. */
export type SendGroup<I, R> = (items: I[]) => Promise<RpcResult<R>[]>

/** Execs that go as one call; its sender records how the call ended, which the other members read. */
interface Group<I, R> extends SharedWork<RpcResult<R>[]> {
  items: I[]
}

interface AgentLane<I, R> {
  /** When each call to the agent running now from this isolate started, oldest first. */
  running: number[]
  /** How long this agent's calls took lately (a moving average), to look for an answer when it is likely there. */
  typicalCallMs: number
  /** The group now taking members; its first member sends it. */
  forming: Group<I, R> | undefined
}

/** A lane's first guess of a call's duration, before it has timed one. */
const FIRST_GUESS_MS = 2

export class ExecCoalescer<I, R> {
  private readonly lanes = new Map<string, AgentLane<I, R>>()

  /** `timers`: the real clock and timers, or a test's that it moves by hand. */
  constructor(private readonly timers: Timers = realTimers) {}

  /** `key` names the agent (tenant and agent id); `send` is called once per group, from the request of its first member. */
  async submit(key: string, item: I, send: SendGroup<I, R>): Promise<RpcResult<R>> {
    const lane = this.lane(key)
    const forming = lane.forming
    if (forming && forming.items.length < MAX_EXEC_BATCH) {
      const index = forming.items.push(item) - 1
      // The group goes when the running call ends, then takes about as long itself.
      const results = await waitForShared(forming, { firstLookMs: this.untilFree(lane) + lane.typicalCallMs }, this.timers)
      return results[index] as RpcResult<R>
    }
    if (lane.running.length < MAX_IN_FLIGHT && !forming) return (await this.run(key, lane, [item], send))[0] as RpcResult<R>
    const group: Group<I, R> = { items: [item], outcome: undefined }
    lane.forming = group
    await waitInOwnRequest(() => (lane.running.length < MAX_IN_FLIGHT ? true : undefined), { firstLookMs: this.untilFree(lane), timeoutMs: MAX_WAIT_MS }, this.timers)
    if (lane.forming === group) lane.forming = undefined
    const results = await doShared(group, () => this.run(key, lane, group.items, send))
    return results[0] as RpcResult<R>
  }

  /** Agents with a call running or a group forming in this isolate. */
  activeLanes(): number {
    return this.lanes.size
  }

  private lane(key: string): AgentLane<I, R> {
    let lane = this.lanes.get(key)
    if (!lane) {
      lane = { running: [], typicalCallMs: FIRST_GUESS_MS, forming: undefined }
      this.lanes.set(key, lane)
    }
    return lane
  }

  /** About how long until the oldest running call ends (at least one poll). */
  private untilFree(lane: AgentLane<I, R>): number {
    const oldest = lane.running[0] ?? this.timers.now()
    return Math.max(1, Math.min(MAX_WAIT_MS, lane.typicalCallMs - (this.timers.now() - oldest)))
  }

  private async run(key: string, lane: AgentLane<I, R>, items: I[], send: SendGroup<I, R>): Promise<RpcResult<R>[]> {
    const startedAt = this.timers.now()
    lane.running.push(startedAt)
    try {
      return await send(items)
    } finally {
      lane.running.splice(lane.running.indexOf(startedAt), 1)
      // Capped: beyond it a waiting member's looks come further apart anyway (own-request-wait.ts).
      lane.typicalCallMs = Math.min(MAX_WAIT_MS, (lane.typicalCallMs * 3 + (this.timers.now() - startedAt)) / 4)
      if (lane.running.length === 0 && lane.forming === undefined) this.lanes.delete(key)
    }
  }
}
