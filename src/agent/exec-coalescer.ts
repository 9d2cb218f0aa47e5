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
 * - The first exec of a waiting group sends the group from its own request,
 *   whose answer waits for that call anyway, so no call outlives the
 *   request that made it.
 */
import { MAX_EXEC_BATCH } from './agent-calls'
import type { RpcResult } from './rpc-result'

/**
 * Calls to one agent this isolate lets run before execs start to wait and group. One groups the most: at 8
 * clients it cut the fabric's CPU per exec by about 9 % with two calls and by about 15 % with one, measured
 * side by side against the fabric without grouping (docs/benchmarks.md).
 */
export const MAX_IN_FLIGHT = 1
/** The longest an exec waits for a running call to end before its group goes anyway. */
export const MAX_WAIT_MS = 10

/** Sends a group of items to their agent as one call: one result per item, in order. */
export type SendGroup<I, R> = (items: I[]) => Promise<RpcResult<R>[]>

/**
 * A group of execs that will go as one call. Its promise is made and settled in its sender's request; the
 * other members only await it. (A request may await another request's promise, but the Workers runtime
 * refuses one request settling a promise another request made.)
 */
interface Group<I, R> {
  items: I[]
  sent: Promise<RpcResult<R>[]>
}

interface AgentLane<I, R> {
  /** The calls running now, each settling (never failing) when its call ends. */
  calls: Set<Promise<void>>
  /** The group now taking members; its first member sends it. */
  forming: Group<I, R> | undefined
}

export class ExecCoalescer<I, R> {
  private readonly lanes = new Map<string, AgentLane<I, R>>()

  /** `key` names the agent (tenant and agent id); `send` is called once per group, from the request of its first member. */
  async submit(key: string, item: I, send: SendGroup<I, R>): Promise<RpcResult<R>> {
    const lane = this.lane(key)
    const forming = lane.forming
    if (forming && forming.items.length < MAX_EXEC_BATCH) {
      const index = forming.items.push(item) - 1
      return (await forming.sent)[index] as RpcResult<R>
    }
    if (lane.calls.size < MAX_IN_FLIGHT && !forming) return (await this.run(key, lane, [item], send))[0] as RpcResult<R>
    const group: Group<I, R> = { items: [item], sent: this.sendWhenFree(key, lane, () => group, send) }
    lane.forming = group
    return (await group.sent)[0] as RpcResult<R>
  }

  /** Agents with a call running or a group forming in this isolate. */
  activeLanes(): number {
    return this.lanes.size
  }

  private lane(key: string): AgentLane<I, R> {
    let lane = this.lanes.get(key)
    if (!lane) {
      lane = { calls: new Set(), forming: undefined }
      this.lanes.set(key, lane)
    }
    return lane
  }

  /** Waits until a running call ends (or MAX_WAIT_MS), closes the group and sends it. */
  private async sendWhenFree(key: string, lane: AgentLane<I, R>, group: () => Group<I, R>, send: SendGroup<I, R>): Promise<RpcResult<R>[]> {
    if (lane.calls.size >= MAX_IN_FLIGHT) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, MAX_WAIT_MS)))
      await Promise.race([waited, ...lane.calls])
      clearTimeout(timer)
    } else {
      // Members that arrive in this turn still join.
      await Promise.resolve()
    }
    const closing = group()
    if (lane.forming === closing) lane.forming = undefined
    return this.run(key, lane, closing.items, send)
  }

  private async run(key: string, lane: AgentLane<I, R>, items: I[], send: SendGroup<I, R>): Promise<RpcResult<R>[]> {
    const call = send(items)
    const ended = call.then(
      () => undefined,
      () => undefined,
    )
    lane.calls.add(ended)
    try {
      return await call
    } finally {
      lane.calls.delete(ended)
      if (lane.calls.size === 0 && lane.forming === undefined) this.lanes.delete(key)
    }
  }
}
