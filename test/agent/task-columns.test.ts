import { describe, expect, it } from 'vitest'
import { parseTaskColumn } from '../../src/agent/task-columns'
import { FabricError } from '../../types/errors'

const result = { ok: true, tier: 1, operation: 'echo', exitCode: 0, stdout: 'hi\n', stderr: '', duration: 1, executionId: 'exe_1', traceId: 't', stages: [{ operation: 'echo', tier: 1, exitCode: 0, duration: 1 }] }

describe('task columns read back', () => {
  it('parses a stored result and keeps the fields it does not check', () => {
    expect(parseTaskColumn('result', JSON.stringify(result), 'tsk_1')).toEqual(result)
  })

  it('parses a stored retry policy with its defaults', () => {
    expect(parseTaskColumn('retry', '{"maxAttempts":3}', 'tsk_1')).toEqual({ maxAttempts: 3, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 60_000 })
  })

  it('fails INTERNAL naming the task and column when a stored value has the wrong shape', () => {
    const thrown = (() => {
      try {
        parseTaskColumn('result', JSON.stringify({ ...result, tier: 7 }), 'tsk_1')
      } catch (error) {
        return error
      }
    })()
    expect(thrown).toBeInstanceOf(FabricError)
    expect(thrown).toMatchObject({ code: 'INTERNAL', status: 500, details: { taskId: 'tsk_1', column: 'result' } })
    expect((thrown as Error).message).toMatch(/^task tsk_1: its stored result does not match its schema/)
  })

  it('fails INTERNAL when a stored column is not JSON', () => {
    expect(() => parseTaskColumn('depends_on', '[tsk_', 'tsk_2')).toThrow('task tsk_2: its stored depends_on is not JSON')
  })
})
