/**
 * Execution trace keys (seed 003): an execution report's facts under the
 * `exec.*` namespace, each key matching `^[a-z0-9_]+(\.[a-z0-9_]+)+$`, values
 * scalars only, so they can ride along in any report or log line.
 */
import type { TaskView } from '../agent/task-record'

export type TraceKeys = Record<string, string | number | boolean>

/** The exec.* keys of a task's execution, as far as it has got. */
export function execTraceKeys(task: TaskView, facts: { kind: string; deduplicated?: boolean }): TraceKeys {
  const keys: TraceKeys = {
    'exec.kind': facts.kind,
    'exec.execution_id': task.executionId,
    'exec.status': task.status,
    'exec.attempts': task.attempts,
    'exec.max_attempts': task.maxAttempts,
  }
  if (facts.deduplicated !== undefined) keys['exec.idempotent_replay'] = facts.deduplicated
  if (task.idempotencyKey) keys['exec.idempotency_key_present'] = true
  if (task.result) {
    keys['exec.tier'] = task.result.tier
    keys['exec.exit_code'] = task.result.exitCode
    keys['exec.duration_ms'] = Math.round(task.result.duration * 1000) / 1000
  }
  const error = task.error ?? task.result?.error
  if (error) keys['exec.error_code'] = error.code
  return keys
}
