/**
 * `POST /v1/exec` and the RPC session's `exec`: the synchronous shortcut
 * through the governed path. The request runs as a task on the caller's
 * agent (`agentId`, or the tenant's `default` agent, spawned on first use),
 * so it is governed, budgeted, written ahead and accounted like any task.
 */
import type { ExecResult } from '../../types/execution'
import type { ExecRequest } from '../core/exec-request'
import type { Env } from '../env'
import type { Caller } from './admission'
import { DEFAULT_AGENT_ID } from './config'
import { agentObjectName, agentStub } from './router'
import { unwrap, type RpcResult } from './rpc-result'
import { ExecCoalescer } from './exec-coalescer'
import { carrying } from '../telemetry/metrics/handoff'
import { returnCarriedMetrics, takeCarriedMetrics } from '../telemetry/metrics/recorder'

interface ExecItem {
  caller: Caller
  request: ExecRequest
}

const coalescer = new ExecCoalescer<ExecItem, ExecResult>()

/** Keeps a promise running after the request's answer or its client's disconnect (`ctx.waitUntil`). */
export type KeepRunning = (work: Promise<unknown>) => void

/**
 * Concurrent execs for one agent share calls (exec-coalescer.ts); a lone one is one `exec` call. A shared
 * call is kept running with `keepRunning`: the other execs of its group wait for its answer, so it must not
 * end when the client of the request that sent it goes away. Every call carries this isolate's pending
 * metric deltas of the tenant (src/telemetry/metrics/handoff.ts): a tier-1 exec then costs no metrics
 * request of its own. If a call fails, the isolate sends them itself under the same batch ids, so the
 * metrics object counts them once whether or not the agent kept them too.
 */
export async function execOnAgent(env: Env, caller: Caller, request: ExecRequest, keepRunning: KeepRunning): Promise<ExecResult> {
  const agentId = request.agentId ?? DEFAULT_AGENT_ID
  const send = async (items: ExecItem[]): Promise<RpcResult<ExecResult>[]> => {
    const carried = takeCarriedMetrics(caller.tenantId)
    const stub = agentStub(env, caller.tenantId, agentId)
    const call = async (): Promise<RpcResult<ExecResult>[]> => {
      const [only] = items
      if (items.length === 1 && only) return [await stub.exec(only.caller, only.request, carried)]
      return unwrap(await stub.execBatch(caller.tenantId, items, carried))
    }
    const answer = carrying(call).catch((error: unknown) => {
      returnCarriedMetrics(env, caller.tenantId, carried)
      throw error
    })
    if (items.length > 1) keepRunning(answer.catch(() => undefined))
    return answer
  }
  return unwrap(await coalescer.submit(agentObjectName(caller.tenantId, agentId), { caller, request }, send))
}
