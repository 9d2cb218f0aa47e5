/**
 * Read-your-writes for the WAL, the decision audit and provenance: an agent
 * answers without waiting for D1 (its events and audit rows wait in its
 * outbox for the next group commit, src/agent/outbound.ts), so a reader first
 * has the agents that may hold rows of what it asks for flush them:
 * - one execution: the agent whose id the execution id carries (exe_<object id>_…);
 * - one session: the agent of that session, from the agent directory (an intent's
 *   own session names no agent: then as below);
 * - anything wider: every live agent of the tenant (the directory, 16 at a time).
 * Rare reads pay, so the hot path does not. An execution id that names no agent
 * (a saga's, one made before ids carried their agent) flushes nothing: its
 * writer flushes on its own (sagas after every step).
 */
import { FabricError } from '../../types/errors'
import type { Env } from '../env'
import { agentObjectIdOfExecution } from '../agent/task-ids'
import { unwrap } from '../agent/rpc-result'
import { signalLiveAgents } from '../governance/agent-signals'

export interface WalReadScope {
  executionId?: string
  sessionId?: string
}

type Bindings = Pick<Env, 'AGENT' | 'DB'>

async function flushObject(env: Bindings, id: DurableObjectId, tenantId: string): Promise<void> {
  unwrap(await env.AGENT.get(id).flushOutbox(tenantId))
}

/** Resolves once every agent that may hold unflushed rows in `scope` has delivered them to D1. */
export async function flushWalOwners(env: Bindings, tenantId: string, scope: WalReadScope): Promise<void> {
  if (scope.executionId !== undefined) {
    const objectId = agentObjectIdOfExecution(scope.executionId)
    if (objectId) await flushObject(env, env.AGENT.idFromString(objectId), tenantId)
    return
  }
  if (scope.sessionId !== undefined) {
    const row = await env.DB.prepare('SELECT agent_id FROM agents WHERE tenant_id = ?1 AND session_id = ?2 LIMIT 1')
      .bind(tenantId, scope.sessionId)
      .first<{ agent_id: string }>()
    if (row) return flushObject(env, env.AGENT.idFromName(`${tenantId}:${row.agent_id}`), tenantId)
  }
  const report = await signalLiveAgents(env, tenantId, (agentId) => flushObject(env, env.AGENT.idFromName(`${tenantId}:${agentId}`), tenantId))
  if (report.failed.length > 0) {
    throw new FabricError('INTERNAL', `${report.failed.length} agents could not deliver their latest WAL events to D1; retry the query`, {
      agents: report.failed.map((failure) => failure.agentId),
    })
  }
}
