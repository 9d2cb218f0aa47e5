/**
 * What a saga does next, decided from its state alone (so a recovered saga
 * carries on exactly where its journal stops): steps run forward one at a
 * time; after a step fails for good (its task's own retries exhausted), the
 * completed steps are compensated in reverse order, or the saga stops as
 * `failed` when it asked to pause. A step in flight is awaited, never
 * dispatched again.
 *
 * A forward step whose attempt was cut off while it ran (its agent restarted
 * or stopped heartbeating, or it timed out) failed with an unknown outcome:
 * its command may have taken effect. Compensation treats it like a completed
 * step and undoes it first — so a compensation must tolerate a forward step
 * that never took effect, the usual saga contract.
 */
import { FabricError } from '../../../types/errors'
import type { SagaPhase, SagaState, SagaStatus, SagaStep, SagaWork } from './saga-model'

export type SagaAction =
  | { kind: 'dispatch'; step: number; phase: SagaPhase; attempt: number; work: SagaWork; definition: SagaStep }
  | { kind: 'await'; step: number; phase: SagaPhase; taskId: string }
  | { kind: 'skip_compensation'; step: number }
  | { kind: 'transition'; to: SagaStatus; reason: string }
  | { kind: 'idle' }

/** Failure codes of an attempt stopped while its command ran: the command may have taken effect. */
export const OUTCOME_UNKNOWN_CODES: ReadonlySet<string> = new Set(['INTERRUPTED', 'AGENT_UNHEALTHY', 'TIMEOUT'])

/** A step compensation must undo: it completed, or it failed with an unknown outcome. */
function mayHaveTakenEffect(step: SagaState['steps'][number]): boolean {
  return step.status === 'completed' || (step.status === 'failed' && OUTCOME_UNKNOWN_CODES.has(step.error?.code ?? ''))
}

function forwardWork(step: SagaStep): SagaWork {
  return {
    ...(step.command !== undefined ? { command: step.command } : {}),
    ...(step.operation !== undefined ? { operation: step.operation, args: step.args ?? [] } : {}),
    ...(step.stdin !== undefined ? { stdin: step.stdin } : {}),
  }
}

function planForward(state: SagaState): SagaAction {
  const inFlight = state.steps.find((s) => s.status === 'running')
  if (inFlight?.taskId) return { kind: 'await', step: inFlight.index, phase: 'forward', taskId: inFlight.taskId }
  const failed = state.steps.find((s) => s.status === 'failed')
  if (failed) {
    const why = `step ${failed.index} failed: ${failed.error?.code ?? 'FAILED'} ${failed.error?.message ?? ''}`.trim()
    return state.onFailure === 'compensate' ? { kind: 'transition', to: 'compensating', reason: why } : { kind: 'transition', to: 'failed', reason: why }
  }
  const next = state.steps.find((s) => s.status === 'pending')
  if (!next) return { kind: 'transition', to: 'completed', reason: `all ${state.steps.length} steps completed` }
  const definition = state.definition[next.index] as SagaStep
  return { kind: 'dispatch', step: next.index, phase: 'forward', attempt: next.attempts + 1, work: forwardWork(definition), definition }
}

function planCompensation(state: SagaState): SagaAction {
  const inFlight = state.steps.find((s) => s.status === 'compensating')
  if (inFlight?.compensationTaskId) return { kind: 'await', step: inFlight.index, phase: 'compensate', taskId: inFlight.compensationTaskId }
  const broken = state.steps.find((s) => s.status === 'compensation_failed')
  if (broken) {
    return { kind: 'transition', to: 'failed', reason: `compensating step ${broken.index} failed: ${broken.error?.code ?? 'FAILED'}; POST /v1/sagas/:id/compensate retries it` }
  }
  const latest = [...state.steps].reverse().find(mayHaveTakenEffect)
  if (!latest) return { kind: 'transition', to: 'compensated', reason: 'every completed step was undone' }
  const definition = state.definition[latest.index] as SagaStep
  if (!definition.compensate) return { kind: 'skip_compensation', step: latest.index }
  return { kind: 'dispatch', step: latest.index, phase: 'compensate', attempt: latest.compensationAttempts + 1, work: definition.compensate, definition }
}

export function nextAction(state: SagaState): SagaAction {
  switch (state.status) {
    case 'running':
      return planForward(state)
    case 'compensating':
      return planCompensation(state)
    default:
      return { kind: 'idle' }
  }
}

/** `POST /v1/sagas/:id/retry`: only a saga stopped as failed with a failed forward step. */
export function assertRetriable(state: SagaState): void {
  if (state.status === 'failed' && state.steps.some((s) => s.status === 'failed')) return
  throw new FabricError('INVALID_STATE', `saga ${state.sagaId} is ${state.status} with no failed step to retry; retry applies to a saga that paused on a failed step`)
}

/** `POST /v1/sagas/:id/compensate`: a saga that completed, or stopped as failed. */
export function assertCompensable(state: SagaState): void {
  if (state.status === 'completed' || state.status === 'failed') return
  throw new FabricError('INVALID_STATE', `saga ${state.sagaId} is ${state.status}; only a completed or failed saga can be compensated by hand`)
}
