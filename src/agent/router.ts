/**
 * Finding an agent's Durable Object: by tenant and agent id (the object's
 * name is `${tenantId}:${agentId}`, so tenants never collide), or by a task id
 * (which embeds the object id).
 */
import type { Env } from '../env'
import { FabricError } from '../../types/errors'
import type { AgentDO } from './agent-do'
import { agentObjectIdOf } from './task-ids'

export type AgentStub = DurableObjectStub<AgentDO>

export function agentObjectName(tenantId: string, agentId: string): string {
  return `${tenantId}:${agentId}`
}

export function agentStub(env: Env, tenantId: string, agentId: string): AgentStub {
  return env.AGENT.get(env.AGENT.idFromName(agentObjectName(tenantId, agentId)))
}

/** The stub of the agent that owns a task; NOT_FOUND when the id cannot be one of ours. */
export function taskOwnerStub(env: Env, taskId: string): AgentStub {
  const hex = agentObjectIdOf(taskId)
  if (hex === undefined) throw taskNotFound(taskId)
  try {
    return env.AGENT.get(env.AGENT.idFromString(hex))
  } catch {
    throw taskNotFound(taskId)
  }
}

/** Another agent's object, by the hex id it registered as a dependency watcher. */
export function agentStubById(env: Env, hexId: string): AgentStub {
  return env.AGENT.get(env.AGENT.idFromString(hexId))
}

export function taskNotFound(taskId: string): FabricError {
  return new FabricError('NOT_FOUND', `no task ${taskId}; task ids come from POST /v1/agents/:id/tasks`)
}
