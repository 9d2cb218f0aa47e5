import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { awaitTask, submitToAgent } from '../../src/orchestration/agent-client'
import { SagaJournal } from '../../src/orchestration/saga/saga-journal'
import type { SagaStep } from '../../src/orchestration/saga/saga-model'
import { createWriteAheadLog } from '../../src/wal/write-ahead-log'
import { call } from '../helpers/http'
import { newTenant, type TenantClient } from '../helpers/tenants'

interface StepBody {
  index: number
  status: string
  attempts: number
  compensationAttempts: number
  taskId?: string
  executionId?: string
  error?: { code: string }
}
interface SagaBody {
  sagaId: string
  status: string
  steps: StepBody[]
}

const LOG = '/saga.log'
const logStep = (name: string): SagaStep => ({ command: `echo ${name} >> ${LOG}`, compensate: { command: `echo undo-${name} >> ${LOG}` } })

async function log(t: TenantClient): Promise<string> {
  return (await t.call('GET', `/v1/fs${LOG}`)).text()
}

async function start(t: TenantClient, body: Record<string, unknown>) {
  return t.json<{ saga: SagaBody; deduplicated: boolean }>('POST', '/v1/sagas', { waitSeconds: 60, ...body })
}

describe('sagas over HTTP', () => {
  it('runs every step in order and completes', async () => {
    const t = await newTenant()
    const started = await start(t, { steps: [logStep('one'), logStep('two')] })
    expect(started.status).toBe(201)
    expect(started.body.saga.status).toBe('completed')
    expect(started.body.saga.steps.map((s) => [s.status, s.attempts])).toEqual([
      ['completed', 1],
      ['completed', 1],
    ])
    expect(await log(t)).toBe('one\ntwo\n')
  })

  it('a third step that fails ends compensated with steps 1-2 undone in reverse order', async () => {
    const t = await newTenant()
    const started = await start(t, { steps: [logStep('one'), logStep('two'), { command: 'cat /missing.txt', compensate: { command: `echo undo-three >> ${LOG}` } }] })
    const saga = started.body.saga
    expect(saga.status).toBe('compensated')
    expect(saga.steps.map((s) => s.status)).toEqual(['compensated', 'compensated', 'failed'])
    expect(saga.steps[2]?.error?.code).toBe('COMMAND_FAILED')
    expect(await log(t)).toBe('one\ntwo\nundo-two\nundo-one\n')

    const wal = await t.json<{ events: Array<{ type: string; data: { event: string; step?: number; to?: string } }> }>('GET', `/v1/wal?executionId=${saga.sagaId}`)
    expect(wal.body.events.map((e) => [e.type, e.data.step ?? e.data.to ?? null])).toEqual([
      ['intent.accepted', null],
      ['task.scheduled', 0],
      ['task.completed', 0],
      ['task.scheduled', 1],
      ['task.completed', 1],
      ['task.scheduled', 2],
      ['task.failed', 2],
      ['state.transition', 'compensating'],
      ['compensation.started', 1],
      ['compensation.completed', 1],
      ['compensation.started', 0],
      ['compensation.completed', 0],
      ['state.transition', 'compensated'],
    ])
    // Each step ran as its own execution, linked to the saga.
    const step = await t.json<{ events: Array<{ parentExecutionId?: string; type: string }> }>('GET', `/v1/wal?executionId=${saga.steps[0]?.executionId}`)
    expect(step.body.events.map((e) => e.parentExecutionId)).toEqual(step.body.events.map(() => saga.sagaId))
  })

  it('pauses on a failure when asked, retries the step by hand, then compensates by hand', async () => {
    const t = await newTenant()
    const started = await start(t, { onFailure: 'pause', steps: [logStep('one'), { command: 'cat /later.txt' }] })
    expect(started.body.saga.status).toBe('failed')
    expect(started.body.saga.steps.map((s) => s.status)).toEqual(['completed', 'failed'])
    const id = started.body.saga.sagaId

    await call('PUT', '/v1/fs/later.txt', { token: t.token, rawBody: 'now here' })
    const retried = await t.json<SagaBody>('POST', `/v1/sagas/${id}/retry`, { waitSeconds: 60 })
    expect(retried.body.status).toBe('completed')
    expect(retried.body.steps[1]).toMatchObject({ status: 'completed', attempts: 2 })

    const undone = await t.json<SagaBody>('POST', `/v1/sagas/${id}/compensate`, { waitSeconds: 60 })
    expect(undone.body.status).toBe('compensated')
    expect(undone.body.steps.map((s) => s.status)).toEqual(['compensated', 'compensated'])
    expect(await log(t)).toBe('one\nundo-one\n')

    const refused = await t.json<{ error: { code: string } }>('POST', `/v1/sagas/${id}/retry`, {})
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('INVALID_STATE')
  })

  it('the same idempotency key returns the same saga and runs nothing again', async () => {
    const t = await newTenant()
    const first = await start(t, { idempotencyKey: 'order-42', steps: [logStep('once')] })
    const second = await start(t, { idempotencyKey: 'order-42', steps: [logStep('twice')] })
    expect(second.status).toBe(200)
    expect(second.body).toMatchObject({ deduplicated: true, saga: { sagaId: first.body.saga.sagaId, status: 'completed' } })
    expect(await log(t)).toBe('once\n')
  })

  it('is tenant-scoped and validates steps', async () => {
    const t = await newTenant()
    const started = await start(t, { steps: [logStep('mine')] })
    const other = await newTenant()
    expect((await other.json('GET', `/v1/sagas/${started.body.saga.sagaId}`)).status).toBe(404)
    const bad = await t.json<{ error: { message: string } }>('POST', '/v1/sagas', { steps: [{ command: 'a', operation: 'b' }] })
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toContain('exactly one of "command" or "operation"')
  })
})

describe('saga crash recovery', () => {
  async function journalled(tenantId: string, sagaId: string, steps: SagaStep[]) {
    const stub = env.SAGA.get(env.SAGA.idFromName(`${tenantId}:${sagaId}`))
    await runInDurableObject(stub, async (_instance, state) => {
      const journal = new SagaJournal(state.storage, createWriteAheadLog(state.storage.sql, env.DB))
      journal.record({ event: 'saga.started', sagaId, tenantId, agentId: 'default', principal: 'tok_test', traceparent: '', onFailure: 'compensate', steps })
      await state.storage.setAlarm(Date.now() + 30_000)
    })
    return stub
  }

  it('a crash after a step was dispatched resumes from the journal: the step is awaited, never run twice', async () => {
    const t = await newTenant()
    const sagaId = 'sag_00000000000000000000000000000001'
    const steps = [logStep('first'), logStep('second')]
    const caller = { tenantId: t.tenantId, principal: 'tok_test' }
    const stub = await journalled(t.tenantId, sagaId, steps)
    // The saga dispatched step 0 and journalled it; then its object died.
    const handle = await submitToAgent(env, caller, 'default', { command: steps[0]?.command, idempotencyKey: `saga:${sagaId}:0:forward:1` }, { kind: 'saga_step', sagaId, step: 0, phase: 'forward' })
    await runInDurableObject(stub, (_instance, state) => {
      new SagaJournal(state.storage, createWriteAheadLog(state.storage.sql, env.DB)).record({ event: 'step.dispatched', step: 0, phase: 'forward', attempt: 1, taskId: handle.taskId, executionId: 'exe_x' })
    })
    // The agent finishes the step while the saga is down (only the saga crashes here).
    expect((await awaitTask(env, caller, 'default', handle.taskId, 30)).status).toBe('completed')
    await abortAllDurableObjects()

    const revived = env.SAGA.get(env.SAGA.idFromName(`${t.tenantId}:${sagaId}`))
    expect(await runDurableObjectAlarm(revived)).toBe(true)
    const saga = await t.json<SagaBody>('GET', `/v1/sagas/${sagaId}`)
    expect(saga.body.status).toBe('completed')
    expect(saga.body.steps[0]).toMatchObject({ status: 'completed', attempts: 1, taskId: handle.taskId })
    expect(await log(t)).toBe('first\nsecond\n')
  })

  it('a crash between submitting a step and journalling it repeats the dispatch with the same key: the agent returns the same task', async () => {
    const t = await newTenant()
    const sagaId = 'sag_00000000000000000000000000000002'
    const steps = [logStep('only')]
    const stub = await journalled(t.tenantId, sagaId, steps)
    const handle = await submitToAgent(env, { tenantId: t.tenantId, principal: 'tok_test' }, 'default', { command: steps[0]?.command, idempotencyKey: `saga:${sagaId}:0:forward:1` }, {
      kind: 'saga_step',
      sagaId,
      step: 0,
      phase: 'forward',
    })
    expect((await awaitTask(env, { tenantId: t.tenantId, principal: 'tok_test' }, 'default', handle.taskId, 30)).status).toBe('completed')
    await abortAllDurableObjects()
    expect(stub).toBeDefined()

    const revived = env.SAGA.get(env.SAGA.idFromName(`${t.tenantId}:${sagaId}`))
    expect(await runDurableObjectAlarm(revived)).toBe(true)
    const saga = await t.json<SagaBody>('GET', `/v1/sagas/${sagaId}`)
    expect(saga.body.status).toBe('completed')
    expect(saga.body.steps[0]?.taskId).toBe(handle.taskId)
    expect(await log(t)).toBe('only\n')
  })

  it('state_only replay of a saga folds the same state from the WAL of record', async () => {
    const t = await newTenant()
    const started = await start(t, { steps: [logStep('a'), { command: 'cat /nope' }] })
    const replay = await t.json<{ state: { kind: string; saga: SagaBody } }>('POST', `/v1/executions/${started.body.saga.sagaId}/replay`, { mode: 'state_only' })
    expect(replay.body.state.kind).toBe('saga')
    expect(replay.body.state.saga).toEqual(started.body.saga)
  })
})
