/**
 * Large results as data references (issue 16, finding 5): a task's stdout over 64 KiB is stored in R2,
 * the row keeps `outputRefs`, `GET /v1/tasks/:id` answers the whole output (redacted like any read),
 * the listing shows the reference, and purged tasks' output blobs are collected.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { call, json } from '../helpers/http'
import { openTenant } from '../helpers/tenants'
import { collectOutputBlobs, resolveTaskOutputs } from '../../src/agent/output-spill'

interface TaskBody {
  status: string
  tenantId: string
  result: { stdout: string; outputRefs?: { stdout?: { ref: string; bytes: number } } }
}

describe('large task results', () => {
  it('keeps a 300 000-byte stdout in R2 and answers it whole, with a planted secret redacted', async () => {
    const { token } = await openTenant()
    await call('POST', '/v1/agents', { token: token.value, body: { id: 'big', heartbeatIntervalSeconds: 0 } })
    const secret = `ghp_${'a1b2c3d4e5'.repeat(4)}`
    const submitted = await json<{ taskId: string }>(await call('POST', '/v1/agents/big/tasks', { token: token.value, body: { command: `yes x | head -c 300000; echo ${secret}` } }))
    const task = await json<TaskBody>(await call('GET', `/v1/tasks/${submitted.taskId}?wait=20`, { token: token.value }))
    expect(task.status).toBe('completed')
    expect(task.result.stdout.startsWith('x\nx\n')).toBe(true)
    expect(task.result.stdout).toContain('[REDACTED]')
    expect(task.result.stdout).not.toContain(secret)
    expect(task.result.outputRefs?.stdout).toEqual({ ref: `blob:${task.tenantId}/tasks/${submitted.taskId}/stdout`, bytes: 300000 + secret.length + 1 })
    expect((await env.FILES.head(`blobs/${task.tenantId}/tasks/${submitted.taskId}/stdout`))?.size).toBe(300000 + secret.length + 1)

    const listed = await json<{ tasks: Array<{ id: string; result?: TaskBody['result'] }> }>(await call('GET', '/v1/agents/big/tasks', { token: token.value }))
    const row = listed.tasks.find((t) => t.id === submitted.taskId)
    expect(row?.result?.stdout).toBe('')
    expect(row?.result?.outputRefs?.stdout?.bytes).toBe(300000 + secret.length + 1)

    await collectOutputBlobs(env.FILES, task.tenantId, [submitted.taskId])
    expect(await env.FILES.head(`blobs/${task.tenantId}/tasks/${submitted.taskId}/stdout`)).toBeNull()
  })

  it('refuses a reference to another tenant\'s blob', async () => {
    const view = { tenantId: 'mine', result: { stdout: '', outputRefs: { stdout: { ref: 'blob:theirs/tasks/tsk_x/stdout', bytes: 5 } } } }
    await expect(resolveTaskOutputs(env.FILES, view)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
