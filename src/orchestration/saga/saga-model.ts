/**
 * A saga as data: the request that starts it, the events that record its
 * progress, and the fold that turns those events back into its state. The
 * saga's Durable Object keeps nothing else — its state is always
 * `foldSaga(journal)` — so recovering after a crash and replaying the saga
 * from the WAL of record (`state_only`) are the same computation.
 */
import { z } from '@hono/zod-openapi'
import { RetryPolicySchema } from '../../core/retry-policy'

export const SagaWorkSchema = z
  .object({
    command: z.string().min(1).max(65_536).optional().openapi({ example: 'mkdir -p /orders/42' }),
    operation: z.string().min(1).max(256).optional(),
    args: z.array(z.string().max(65_536)).max(1000).optional(),
    stdin: z.string().max(1_048_576).optional(),
  })
  .strict()
  .refine((w) => (w.command === undefined) !== (w.operation === undefined), { message: 'give exactly one of "command" or "operation"' })
  .refine((w) => w.command === undefined || w.args === undefined, { message: '"args" goes with "operation"' })

export const SagaStepSchema = z
  .object({
    name: z.string().min(1).max(128).optional(),
    command: z.string().min(1).max(65_536).optional(),
    operation: z.string().min(1).max(256).optional(),
    args: z.array(z.string().max(65_536)).max(1000).optional(),
    stdin: z.string().max(1_048_576).optional(),
    compensate: SagaWorkSchema.optional().openapi({ description: 'What undoes this step; a step without one needs no undoing' }),
    retry: RetryPolicySchema.optional(),
    timeoutSeconds: z.number().positive().max(14_400).optional(),
  })
  .strict()
  .refine((s) => (s.command === undefined) !== (s.operation === undefined), { message: 'each step gives exactly one of "command" or "operation"' })
  .refine((s) => s.command === undefined || s.args === undefined, { message: '"args" goes with "operation"' })
  .openapi('SagaStep')

export const SagaRequestSchema = z
  .object({
    steps: z.array(SagaStepSchema).min(1).max(100),
    agentId: z.string().min(1).max(128).optional().openapi({ description: 'The agent whose queue runs the steps; the default agent when absent' }),
    onFailure: z.enum(['compensate', 'pause']).default('compensate').openapi({
      description: 'compensate: undo completed steps in reverse order; pause: stop as failed so the step can be retried or compensated by hand',
    }),
    idempotencyKey: z.string().min(1).max(256).optional(),
    waitSeconds: z.number().min(0).max(60).default(0),
  })
  .strict()
  .openapi('SagaRequest')

export type SagaWork = z.infer<typeof SagaWorkSchema>
export type SagaStep = z.infer<typeof SagaStepSchema>
export type SagaRequest = z.infer<typeof SagaRequestSchema>
export type SagaPhase = 'forward' | 'compensate'
export type SagaStatus = 'running' | 'completed' | 'compensating' | 'compensated' | 'failed'
export type StepStatus = 'pending' | 'running' | 'completed' | 'failed' | 'compensating' | 'compensated' | 'compensation_failed'

export interface StepError {
  code: string
  message: string
}

/** What the saga journal (and its WAL events' data) records, in order. */
export type SagaEvent =
  | {
      event: 'saga.started'
      sagaId: string
      tenantId: string
      agentId: string
      principal: string
      traceparent: string
      onFailure: 'compensate' | 'pause'
      steps: SagaStep[]
    }
  | { event: 'step.dispatched'; step: number; phase: SagaPhase; attempt: number; taskId: string; executionId: string }
  | { event: 'step.succeeded'; step: number; phase: SagaPhase; taskId?: string; exitCode?: number; stdout?: string; skipped?: boolean }
  | { event: 'step.failed'; step: number; phase: SagaPhase; taskId?: string; error: StepError }
  | { event: 'saga.status'; from: SagaStatus; to: SagaStatus; reason: string }

export interface StepState {
  index: number
  name?: string
  status: StepStatus
  attempts: number
  compensationAttempts: number
  taskId?: string
  executionId?: string
  compensationTaskId?: string
  exitCode?: number
  stdout?: string
  error?: StepError
}

export interface SagaState {
  sagaId: string
  tenantId: string
  agentId: string
  principal: string
  traceparent: string
  status: SagaStatus
  onFailure: 'compensate' | 'pause'
  steps: StepState[]
  definition: SagaStep[]
  events: number
}

function applyStatus(state: SagaState, to: SagaStatus): void {
  // Asking again after a failure: failed steps go back to pending (retry), failed compensations are due again.
  for (const step of state.steps) {
    if (to === 'running' && step.status === 'failed') step.status = 'pending'
    if (to === 'compensating' && step.status === 'compensation_failed') step.status = 'completed'
  }
  state.status = to
}

function applyStep(state: SagaState, event: Exclude<SagaEvent, { event: 'saga.started' } | { event: 'saga.status' }>): void {
  const step = state.steps[event.step]
  if (!step) throw new Error(`saga event names step ${event.step}, which the saga does not have`)
  const forward = event.phase === 'forward'
  switch (event.event) {
    case 'step.dispatched':
      step.status = forward ? 'running' : 'compensating'
      if (forward) {
        step.attempts = event.attempt
        step.taskId = event.taskId
        step.executionId = event.executionId
      } else {
        step.compensationAttempts = event.attempt
        step.compensationTaskId = event.taskId
      }
      delete step.error
      return
    case 'step.succeeded':
      step.status = forward ? 'completed' : 'compensated'
      if (forward) {
        if (event.exitCode !== undefined) step.exitCode = event.exitCode
        if (event.stdout !== undefined) step.stdout = event.stdout
      }
      return
    case 'step.failed':
      step.status = forward ? 'failed' : 'compensation_failed'
      step.error = event.error
      return
  }
}

/** The saga's state after these events (journal order). Undefined before `saga.started`. */
export function foldSaga(events: Iterable<SagaEvent>): SagaState | undefined {
  let state: SagaState | undefined
  for (const event of events) {
    if (event.event === 'saga.started') {
      state = {
        sagaId: event.sagaId,
        tenantId: event.tenantId,
        agentId: event.agentId,
        principal: event.principal,
        traceparent: event.traceparent,
        status: 'running',
        onFailure: event.onFailure,
        definition: event.steps,
        steps: event.steps.map((s, index) => ({ index, status: 'pending', attempts: 0, compensationAttempts: 0, ...(s.name ? { name: s.name } : {}) })),
        events: 1,
      }
      continue
    }
    if (!state) throw new Error(`saga journal starts with ${event.event}, not saga.started`)
    state.events++
    if (event.event === 'saga.status') applyStatus(state, event.to)
    else applyStep(state, event)
  }
  return state
}
