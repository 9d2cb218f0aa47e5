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
import { agentStub } from './router'
import { unwrap } from './rpc-result'

export async function execOnAgent(env: Env, caller: Caller, request: ExecRequest): Promise<ExecResult> {
  const agentId = request.agentId ?? DEFAULT_AGENT_ID
  return unwrap(await agentStub(env, caller.tenantId, agentId).exec(caller, request))
}
