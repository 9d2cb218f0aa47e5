import { describe, expect, it } from 'vitest'
import { foldSaga, type SagaEvent, type SagaStep } from '../../src/orchestration/saga/saga-model'
import { assertCompensable, assertRetriable, nextAction } from '../../src/orchestration/saga/saga-plan'

const STEPS: SagaStep[] = [
  { command: 'step-0', compensate: { command: 'undo-0' } },
  { command: 'step-1' },
  { command: 'step-2', compensate: { command: 'undo-2' } },
]

function started(onFailure: 'compensate' | 'pause' = 'compensate'): SagaEvent {
  return { event: 'saga.started', sagaId: 'sag_1', tenantId: 't', agentId: 'a', principal: 'p', traceparent: '', onFailure, steps: STEPS }
}

const dispatched = (step: number, phase: 'forward' | 'compensate' = 'forward', attempt = 1): SagaEvent => ({
  event: 'step.dispatched',
  step,
  phase,
  attempt,
  taskId: `tsk_${step}_${phase}_${attempt}`,
  executionId: `exe_${step}_${phase}_${attempt}`,
})
const succeeded = (step: number, phase: 'forward' | 'compensate' = 'forward'): SagaEvent => ({ event: 'step.succeeded', step, phase, exitCode: 0 })
const failed = (step: number, phase: 'forward' | 'compensate' = 'forward', code = 'COMMAND_FAILED'): SagaEvent => ({ event: 'step.failed', step, phase, error: { code, message: 'exit 1' } })
type StatusEvent = Extract<SagaEvent, { event: 'saga.status' }>
const status = (from: StatusEvent['from'], to: StatusEvent['to']): SagaEvent => ({ event: 'saga.status', from, to, reason: 'test' })

function plan(events: SagaEvent[]) {
  const state = foldSaga(events)
  if (!state) throw new Error('no state')
  return nextAction(state)
}

describe('saga plan: what happens next, from the journal alone', () => {
  const table: Array<[string, SagaEvent[], ReturnType<typeof nextAction>]> = [
    ['a new saga dispatches step 0', [started()], expect.objectContaining({ kind: 'dispatch', step: 0, phase: 'forward', attempt: 1, work: { command: 'step-0' } })],
    ['a dispatched step is awaited, not dispatched again', [started(), dispatched(0)], { kind: 'await', step: 0, phase: 'forward', taskId: 'tsk_0_forward_1' }],
    ['steps go in order', [started(), dispatched(0), succeeded(0)], expect.objectContaining({ kind: 'dispatch', step: 1 })],
    ['all done → completed', [started(), dispatched(0), succeeded(0), dispatched(1), succeeded(1), dispatched(2), succeeded(2)], { kind: 'transition', to: 'completed', reason: 'all 3 steps completed' }],
    ['a failure starts compensation', [started(), dispatched(0), succeeded(0), dispatched(1), succeeded(1), dispatched(2), failed(2)], { kind: 'transition', to: 'compensating', reason: 'step 2 failed: COMMAND_FAILED exit 1' }],
    ['a failure pauses when asked to', [started('pause'), dispatched(0), failed(0)], { kind: 'transition', to: 'failed', reason: 'step 0 failed: COMMAND_FAILED exit 1' }],
    [
      'compensation starts from the latest completed step; one without compensate is skipped',
      [started(), dispatched(0), succeeded(0), dispatched(1), succeeded(1), dispatched(2), failed(2), status('running', 'compensating')],
      { kind: 'skip_compensation', step: 1 },
    ],
    [
      'then the earlier step is compensated',
      [started(), dispatched(0), succeeded(0), dispatched(1), succeeded(1), dispatched(2), failed(2), status('running', 'compensating'), { event: 'step.succeeded', step: 1, phase: 'compensate', skipped: true }],
      expect.objectContaining({ kind: 'dispatch', step: 0, phase: 'compensate', attempt: 1, work: { command: 'undo-0' } }),
    ],
    [
      'an in-flight compensation is awaited',
      [started(), dispatched(0), succeeded(0), dispatched(1), failed(1), status('running', 'compensating'), dispatched(0, 'compensate')],
      { kind: 'await', step: 0, phase: 'compensate', taskId: 'tsk_0_compensate_1' },
    ],
    [
      'everything undone → compensated',
      [started(), dispatched(0), succeeded(0), dispatched(1), failed(1), status('running', 'compensating'), dispatched(0, 'compensate'), succeeded(0, 'compensate')],
      { kind: 'transition', to: 'compensated', reason: 'every completed step was undone' },
    ],
    [
      'a failed compensation fails the saga',
      [started(), dispatched(0), succeeded(0), dispatched(1), failed(1), status('running', 'compensating'), dispatched(0, 'compensate'), failed(0, 'compensate')],
      { kind: 'transition', to: 'failed', reason: 'compensating step 0 failed: COMMAND_FAILED; POST /v1/sagas/:id/compensate retries it' },
    ],
    ['a terminal saga is idle', [started(), dispatched(0), failed(0), status('running', 'compensating'), status('compensating', 'compensated')], { kind: 'idle' }],
    [
      'retry after a pause runs the failed step again with the next attempt number',
      [started('pause'), dispatched(0), failed(0), status('running', 'failed'), status('failed', 'running')],
      expect.objectContaining({ kind: 'dispatch', step: 0, phase: 'forward', attempt: 2 }),
    ],
    [
      'compensating by hand after a failed compensation tries it again',
      [started(), dispatched(0), succeeded(0), dispatched(1), failed(1), status('running', 'compensating'), dispatched(0, 'compensate'), failed(0, 'compensate'), status('compensating', 'failed'), status('failed', 'compensating')],
      expect.objectContaining({ kind: 'dispatch', step: 0, phase: 'compensate', attempt: 2 }),
    ],
    ...(['INTERRUPTED', 'AGENT_UNHEALTHY', 'TIMEOUT'] as const).map((code): [string, SagaEvent[], ReturnType<typeof nextAction>] => [
      `a step cut off while it ran (${code}) may have taken effect: it is compensated first`,
      [started(), dispatched(0), succeeded(0), dispatched(1), succeeded(1), dispatched(2), failed(2, 'forward', code), status('running', 'compensating')],
      expect.objectContaining({ kind: 'dispatch', step: 2, phase: 'compensate', attempt: 1, work: { command: 'undo-2' } }),
    ]),
    [
      'a step that ran and failed (COMMAND_FAILED) is not compensated: the latest completed step is',
      [started(), dispatched(0), succeeded(0), dispatched(1), succeeded(1), dispatched(2), failed(2), status('running', 'compensating')],
      { kind: 'skip_compensation', step: 1 },
    ],
    [
      'an interrupted first step is undone, then the saga is compensated',
      [started(), dispatched(0), failed(0, 'forward', 'INTERRUPTED'), status('running', 'compensating'), dispatched(0, 'compensate'), succeeded(0, 'compensate')],
      { kind: 'transition', to: 'compensated', reason: 'every completed step was undone' },
    ],
  ]
  it.each(table)('%s', (_name, events, expected) => {
    expect(plan(events)).toEqual(expected)
  })
})

describe('foldSaga', () => {
  it('reconstructs every step', () => {
    const state = foldSaga([started(), dispatched(0), succeeded(0), dispatched(1), failed(1), status('running', 'compensating'), dispatched(0, 'compensate'), succeeded(0, 'compensate'), status('compensating', 'compensated')])
    expect(state?.status).toBe('compensated')
    expect(state?.events).toBe(9)
    expect(state?.steps.map((s) => [s.index, s.status, s.attempts, s.compensationAttempts])).toEqual([
      [0, 'compensated', 1, 1],
      [1, 'failed', 1, 0],
      [2, 'pending', 0, 0],
    ])
    expect(state?.steps[1]?.error).toEqual({ code: 'COMMAND_FAILED', message: 'exit 1' })
    expect(state?.steps[0]).toMatchObject({ taskId: 'tsk_0_forward_1', executionId: 'exe_0_forward_1', compensationTaskId: 'tsk_0_compensate_1' })
  })

  it('is undefined before the saga started and refuses a journal that does not start with it', () => {
    expect(foldSaga([])).toBeUndefined()
    expect(() => foldSaga([dispatched(0)])).toThrow('saga journal starts with step.dispatched, not saga.started')
  })

  it('guards manual retry and compensation', () => {
    const paused = foldSaga([started('pause'), dispatched(0), failed(0), status('running', 'failed')])!
    expect(() => assertRetriable(paused)).not.toThrow()
    expect(() => assertCompensable(paused)).not.toThrow()
    const running = foldSaga([started()])!
    expect(() => assertRetriable(running)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }))
    expect(() => assertCompensable(running)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }))
  })
})
