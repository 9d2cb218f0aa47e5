/**
 * Replay (seed 004 §5), a runtime feature: read the WAL of record and
 * - `events_only`: return the execution's events (the audit trail);
 * - `state_only`: fold them into the execution's state, re-running nothing;
 * - `full`: the state, plus a dry re-execution of its deterministic work
 *   (dry-run.ts) compared with what was recorded.
 * Replay reads D1, the agent's stored task (read-only) and the tenant's files
 * (read-only, to seed the dry run); it writes nothing anywhere.
 */
import { unwrap, type RpcResult } from '../../agent/rpc-result'
import { agentStub } from '../../agent/router'
import type { TaskView } from '../../agent/task-record'
import type { WalEvent } from '../../../types/fabric'
import type { Env } from '../../env'
import { FabricError } from '../../../types/errors'
import { executionEvents } from '../../wal/query'
import { flushWalOwners } from '../wal-owners'
import type { RuntimeCaller } from '../agent-client'
import type { CapabilityRegistry } from '../intents/capabilities'
import { dryRun, type DryRunReport, type RecordedOutcome, type RecordedWork } from './dry-run'
import { foldExecution, type ExecutionState, type TaskExecutionState } from './execution-state'

export const REPLAY_MODES = ['events_only', 'state_only', 'full'] as const
export type ReplayMode = (typeof REPLAY_MODES)[number]

export type ReplayReport =
  | { mode: 'events_only'; executionId: string; events: WalEvent[] }
  | { mode: 'state_only'; executionId: string; state: ExecutionState }
  | { mode: 'full'; executionId: string; state: ExecutionState; rerun: DryRunReport }

async function storedTask(env: Env, caller: RuntimeCaller, state: TaskExecutionState): Promise<TaskView | undefined> {
  if (!state.agentId || !state.taskId) return undefined
  const result = (await agentStub(env, caller.tenantId, state.agentId).getTask(caller, state.taskId, 0)) as RpcResult<TaskView>
  if (!result.ok && result.error.code === 'NOT_FOUND') return undefined
  return unwrap(result)
}

function workOf(state: TaskExecutionState, events: WalEvent[], task: TaskView | undefined, registry: CapabilityRegistry): RecordedWork {
  if (state.intent) {
    const capability = registry.resolve(state.intent.intentType)
    const payload = (events.find((e) => e.type === 'intent.accepted')?.data.payload ?? {}) as Record<string, unknown>
    return { ...capability.workFor(payload), deterministic: capability.determinism === 'deterministic' }
  }
  if (!task) return { deterministic: true }
  if (task.work.kind === 'command') return { command: task.work.command, deterministic: true }
  return { operation: task.work.operation, args: task.work.args.map(String), deterministic: true }
}

function outcomeOf(state: TaskExecutionState, task: TaskView | undefined): RecordedOutcome {
  return {
    ...(task?.result ? { exitCode: task.result.exitCode, stdout: task.result.stdout } : {}),
    ...(!task?.result && state.exitCode !== undefined ? { exitCode: state.exitCode } : {}),
  }
}

export async function replayExecution(
  env: Env,
  caller: RuntimeCaller,
  registry: CapabilityRegistry,
  executionId: string,
  mode: ReplayMode,
): Promise<ReplayReport> {
  await flushWalOwners(env, caller.tenantId, { executionId })
  const events = await executionEvents(env.DB, caller.tenantId, executionId)
  if (events.length === 0) {
    throw new FabricError('NOT_FOUND', `no WAL events for execution ${executionId} in this tenant (events reach D1 moments after they happen; GET /v1/wal?executionId= shows what has arrived)`)
  }
  if (mode === 'events_only') return { mode, executionId, events }
  const state = foldExecution(executionId, events)
  if (mode === 'state_only') return { mode, executionId, state }
  if (state.kind === 'saga') {
    return { mode, executionId, state, rerun: { reexecuted: false, reason: 'a saga replays step by step: replay each step execution (steps[].executionId)' } }
  }
  const task = await storedTask(env, caller, state)
  return { mode, executionId, state, rerun: await dryRun(env, caller.tenantId, workOf(state, events, task, registry), outcomeOf(state, task)) }
}
