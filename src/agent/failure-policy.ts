/**
 * The failure table of seed 000, applied to a task's failed attempt:
 *
 *   | failure              | response                                        |
 *   | timeout              | terminate the attempt, log, fail (no retry)      |
 *   | resource exhaustion  | suspend the agent, notify, keep the task queued  |
 *   | dependency failure   | escalate: fail the dependent and alert           |
 *   | governance violation | fail at once, never retried                      |
 *   | runtime error        | retry with backoff while attempts remain         |
 *
 * A command that ran and exited non-zero (COMMAND_FAILED, retriable:false) is
 * the command's answer, not a fault of the fabric: it is retried only when the
 * task's retry policy says `retryOn: 'failed_command'`.
 *
 * Bad input (a parse error, an unknown operation) would fail the same way
 * again, so it fails without retrying; a cancelled task stays cancelled.
 */
export type FailureKind = 'timeout' | 'resource_exhaustion' | 'dependency' | 'governance' | 'cancelled' | 'input' | 'command_failed' | 'runtime'

const KIND_OF_CODE: Readonly<Record<string, FailureKind>> = {
  TIMEOUT: 'timeout',
  DEADLINE_EXCEEDED: 'timeout',
  RESOURCE_EXHAUSTED: 'resource_exhaustion',
  BUDGET_EXCEEDED: 'resource_exhaustion',
  DEPENDENCY_FAILED: 'dependency',
  KILL_SWITCH: 'governance',
  POLICY_DENIED: 'governance',
  CANCELLED: 'cancelled',
  PARSE_ERROR: 'input',
  INVALID_ARGUMENT: 'input',
  EINVAL: 'input',
  EACCES: 'input',
  UNKNOWN_OPERATION: 'input',
  MODULE_INVALID: 'input',
  COMMAND_FAILED: 'command_failed',
}

export function failureKind(code: string | undefined): FailureKind {
  return (code !== undefined ? KIND_OF_CODE[code] : undefined) ?? 'runtime'
}

export type FailureResponse = 'retry' | 'fail' | 'suspend' | 'escalate' | 'cancel'

export function failureResponse(kind: FailureKind, attemptsLeft: boolean, retryFailedCommands: boolean): FailureResponse {
  switch (kind) {
    case 'runtime':
      return attemptsLeft ? 'retry' : 'fail'
    case 'command_failed':
      return attemptsLeft && retryFailedCommands ? 'retry' : 'fail'
    case 'resource_exhaustion':
      return 'suspend'
    case 'dependency':
      return 'escalate'
    case 'cancelled':
      return 'cancel'
    case 'timeout':
    case 'governance':
    case 'input':
      return 'fail'
  }
}
