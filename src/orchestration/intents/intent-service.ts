/**
 * Accepting an intent (seed 004's canonical flow): validate it, resolve the
 * capability that may respond, claim its idempotency key, and hand it to an
 * agent as a task whose origin makes the lifecycle record `intent.accepted`
 * and `capability.resolved` in the same transaction as the enqueue and decide
 * `intent:<type>` together with the task's own actions.
 */
import { DEFAULT_AGENT_ID } from '../../agent/config'
import type { TaskView } from '../../agent/task-record'
import type { Env } from '../../env'
import { awaitTask, submitToAgent, type RuntimeCaller } from '../agent-client'
import type { CapabilityRegistry } from './capabilities'
import { claimIdempotencyKey } from './idempotency'
import { acceptIntent, type IntentRequest } from './intent'
import type { TaskOrigin } from '../../core/origin'
import { execTraceKeys, type TraceKeys } from '../trace-keys'

export interface IntentReceipt {
  intentId: string
  intentType: string
  agentId: string
  taskId: string
  executionId: string
  status: TaskView['status']
  deduplicated: boolean
  result?: TaskView['result']
  error?: TaskView['error']
  trace: TraceKeys
}

export async function submitIntent(env: Env, registry: CapabilityRegistry, caller: RuntimeCaller, request: IntentRequest): Promise<IntentReceipt> {
  const capability = registry.resolve(request.intent_type)
  const work = capability.workFor(request.payload)
  const accepted = acceptIntent(caller.tenantId, request)
  let intentId = accepted.id
  let agentId = request.agent_id ?? DEFAULT_AGENT_ID
  if (request.idempotency_key !== undefined) {
    const claim = await claimIdempotencyKey(env.DB, caller.tenantId, 'intent', request.idempotency_key, { targetId: intentId, agentId })
    intentId = claim.targetId
    agentId = claim.agentId
  }
  const origin: TaskOrigin = {
    kind: 'intent',
    intentId,
    intentType: accepted.type,
    sessionId: accepted.sessionId,
    correlationId: accepted.correlationId,
    capability: capability.intentType,
    payload: accepted.payload,
    metadata: accepted.metadata,
  }
  const input = {
    type: accepted.type,
    ...work,
    ...(capability.tier ? { tier: capability.tier } : {}),
    intentId,
    metadata: { intentType: accepted.type, sessionId: accepted.sessionId },
    ...(request.idempotency_key !== undefined ? { idempotencyKey: `intent:${request.idempotency_key}` } : {}),
  }
  const handle = await submitToAgent(env, caller, agentId, input, origin)
  const task = await awaitTask(env, caller, agentId, handle.taskId, request.wait_seconds)
  return {
    intentId: task.intentId ?? intentId,
    intentType: accepted.type,
    agentId,
    taskId: task.id,
    executionId: task.executionId,
    status: task.status,
    deduplicated: handle.deduplicated,
    ...(task.result ? { result: task.result } : {}),
    ...(task.error ? { error: task.error } : {}),
    trace: execTraceKeys(task, { kind: 'intent', deduplicated: handle.deduplicated }),
  }
}
