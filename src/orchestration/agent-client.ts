/**
 * How the runtime hands work to the lifecycle: intents and saga steps become
 * tasks on an agent's Durable Object (src/agent), so they are admitted,
 * written ahead, queued, dispatched and recorded like every other task.
 */
import type { TaskHandle } from '../../types/fabric'
import { DEFAULT_AGENT_ID, defaultAgentConfig } from '../agent/config'
import { unwrap, type RpcResult } from '../agent/rpc-result'
import { agentStub } from '../agent/router'
import type { TaskView } from '../agent/task-record'
import type { Env } from '../env'
import type { TaskOrigin } from '../core/origin'

export interface RuntimeCaller {
  tenantId: string
  /** Id of the credential that asked (never its value). */
  principal: string
  traceparent?: string
}

export type TaskOutcome =
  | { done: false; status: TaskView['status'] }
  | { done: true; ok: true; exitCode: number; stdout: string }
  | { done: true; ok: false; error: { code: string; message: string } }

/** Submits a task; the tenant's default agent is spawned on first use, as POST /v1/exec does. */
export async function submitToAgent(env: Env, caller: RuntimeCaller, agentId: string, input: Record<string, unknown>, origin: TaskOrigin): Promise<TaskHandle> {
  const stub = agentStub(env, caller.tenantId, agentId)
  // The RPC stub's typing drops the error branch of RpcResult (its `details: unknown` is not Serializable); restore it.
  const first = (await stub.submitTask(caller, input, origin)) as RpcResult<TaskHandle>
  if (first.ok || first.error.code !== 'NOT_FOUND' || agentId !== DEFAULT_AGENT_ID) return unwrap(first)
  const spawned = (await stub.spawn(caller, defaultAgentConfig())) as RpcResult<unknown>
  if (!spawned.ok && spawned.error.code !== 'CONFLICT') unwrap(spawned)
  return unwrap(await stub.submitTask(caller, input, origin))
}

/** The task as it is after waiting up to `waitSeconds` for it to end. */
export async function awaitTask(env: Env, caller: RuntimeCaller, agentId: string, taskId: string, waitSeconds: number): Promise<TaskView> {
  return unwrap(await agentStub(env, caller.tenantId, agentId).getTask(caller, taskId, waitSeconds))
}

const STDOUT_KEPT = 4096

export function outcomeOf(view: TaskView): TaskOutcome {
  switch (view.status) {
    case 'completed':
      if (view.result && !view.result.ok) return { done: true, ok: false, error: { code: view.result.error?.code ?? 'COMMAND_FAILED', message: view.result.error?.message ?? `exit code ${view.result.exitCode}` } }
      return { done: true, ok: true, exitCode: view.result?.exitCode ?? 0, stdout: (view.result?.stdout ?? '').slice(0, STDOUT_KEPT) }
    case 'failed':
    case 'cancelled': {
      const error = view.error ?? view.result?.error
      return { done: true, ok: false, error: { code: error?.code ?? 'FAILED', message: error?.message ?? `the task ended ${view.status}` } }
    }
    default:
      return { done: false, status: view.status }
  }
}
