/**
 * Reaching a saga's Durable Object: one per saga, named `${tenantId}:${sagaId}`.
 * A saga started with an idempotency key gets an id derived from the tenant
 * and the key, so the same key always reaches the same object, which answers
 * with the saga it already has — across restarts, with no lookup table.
 */
import { sha256Hex } from '../../core/digest'
import { DEFAULT_AGENT_ID } from '../../agent/config'
import { unwrap, type RpcResult } from '../../agent/rpc-result'
import type { Env } from '../../env'
import { KillSwitchStore } from '../../governance/kill-switch'
import { newId } from '../../core/ids'
import type { RuntimeCaller } from '../agent-client'
import type { SagaView } from './saga-do'
import type { SagaRequest } from './saga-model'

export const SAGA_ID_PATTERN = /^sag_[0-9a-f]{32}$/

export async function sagaIdFor(tenantId: string, idempotencyKey: string | undefined): Promise<string> {
  if (idempotencyKey === undefined) return newId('sag')
  return `sag_${(await sha256Hex(`${tenantId}\u0000saga\u0000${idempotencyKey}`)).slice(0, 32)}`
}

function sagaStub(env: Env, tenantId: string, sagaId: string) {
  return env.SAGA.get(env.SAGA.idFromName(`${tenantId}:${sagaId}`))
}

export async function startSaga(env: Env, caller: RuntimeCaller, request: SagaRequest): Promise<{ saga: SagaView; deduplicated: boolean }> {
  const agentId = request.agentId ?? DEFAULT_AGENT_ID
  // A governed route like the others: under a switch covering its tenant or agent nothing starts (403 KILL_SWITCH).
  await new KillSwitchStore(env.DB).assertNotKilled(caller.tenantId, agentId)
  const sagaId = await sagaIdFor(caller.tenantId, request.idempotencyKey)
  const start = {
    sagaId,
    caller,
    agentId,
    onFailure: request.onFailure,
    steps: request.steps,
  }
  // The RPC stub's typing drops RpcResult's error branch; restore it before unwrapping.
  return unwrap((await sagaStub(env, caller.tenantId, sagaId).start(start, request.waitSeconds)) as RpcResult<{ saga: SagaView; deduplicated: boolean }>)
}

export type SagaCommand = 'status' | 'retry' | 'compensate'

export async function commandSaga(env: Env, tenantId: string, sagaId: string, command: SagaCommand, waitSeconds: number): Promise<SagaView> {
  const stub = sagaStub(env, tenantId, sagaId)
  return unwrap((await stub[command](tenantId, waitSeconds)) as RpcResult<SagaView>)
}
