/**
 * The agent's `execBatch` (what the exec coalescer sends when concurrent
 * execs share a call): every item runs exactly as a lone exec would, side by
 * together, with its own result in order, so a denied item fails alone; a
 * batch that is not valid execs of one tenant's agent, or is empty or too
 * long, is refused whole and runs nothing.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { MAX_EXEC_BATCH } from '../../src/agent/agent-calls'
import { agentStub } from '../../src/agent/router'
import { unwrap, type RpcResult } from '../../src/agent/rpc-result'
import type { ExecResult } from '../../types/execution'
import { call } from '../helpers/http'
import { openTenant } from '../helpers/tenants'

async function tenantDenyingRm(): Promise<{ tenantId: string; token: string }> {
  const tenant = await openTenant()
  const policy = await call('PUT', '/v1/policies/no-rm', { token: tenant.token.value, body: { rules: [{ actionPattern: 'exec:rm', effect: 'deny' }] } })
  expect(policy.status).toBeLessThan(300)
  return { tenantId: tenant.tenant.id, token: tenant.token.value }
}

function outcome(result: RpcResult<ExecResult>): unknown {
  return result.ok ? [result.value.exitCode, result.value.stdout, result.value.stderr] : result.error.code
}

describe('execBatch', () => {
  it('runs each item as a lone exec would: its own result, in order; a denied item fails alone', async () => {
    const { tenantId } = await tenantDenyingRm()
    const caller = { tenantId, principal: 'tok_batch' }
    const requests = [{ command: 'echo one > /one.txt; cat /one.txt' }, { command: 'rm -rf /x' }, { command: 'cat /nope' }, { command: 'echo four' }]
    const answer = await agentStub(env, tenantId, 'default').execBatch(
      tenantId,
      requests.map((request) => ({ caller, request })),
    )
    const results: RpcResult<ExecResult>[] = unwrap(answer)
    expect(results.map(outcome)).toEqual([[0, 'one\n', ''], 'POLICY_DENIED', [1, '', 'cat: /nope: No such file or directory\n'], [0, 'four\n', '']])
    const executions = results.flatMap((result) => (result.ok ? [result.value.executionId] : []))
    expect(new Set(executions).size).toBe(3)
  })

  it('refuses whole, and runs nothing of, a batch with another tenant\'s exec, an invalid one or another agent\'s, and one empty or too long', async () => {
    const { tenantId, token } = await tenantDenyingRm()
    const stub = agentStub(env, tenantId, 'default')
    const mine = { caller: { tenantId, principal: 'tok_batch' }, request: { command: 'echo mine > /mine.txt' } }
    const theirs = { caller: { tenantId: 'tnt_other', principal: 'tok_other' }, request: { command: 'echo theirs > /theirs.txt' } }
    const invalid = { ...mine, request: { command: 42 } }
    const elsewhere = { ...mine, request: { command: 'echo elsewhere > /elsewhere.txt', agentId: 'other' } }
    for (const items of [[mine, theirs], [mine, invalid], [mine, elsewhere], [], Array.from({ length: MAX_EXEC_BATCH + 1 }, () => mine)]) {
      const answer = await stub.execBatch(tenantId, items)
      expect(answer.ok ? 'ran' : answer.error.code).toBe('VALIDATION_ERROR')
    }
    for (const path of ['/v1/fs/mine.txt', '/v1/fs/theirs.txt', '/v1/fs/elsewhere.txt']) expect((await call('GET', path, { token })).status).toBe(404)
  })
})
