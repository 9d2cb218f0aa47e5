import { describe, expect, it } from 'vitest'
import { call, json } from '../helpers/http'
import { openTenant } from '../helpers/tenants'

interface Result {
  ok: boolean
  tier: number
  exitCode: number
  stdout: string
  stderr: string
  error?: { code: string; retriable: boolean }
  stages?: { operation: string; tier: number; exitCode: number }[]
  traceId: string
  executionId: string
}

async function exec(body: Record<string, unknown>): Promise<Result> {
  const response = await call('POST', '/v1/exec', { body })
  expect(response.status).toBe(200)
  return json<Result>(response)
}

describe('POST /v1/exec on tier 1', () => {
  it('runs a pipeline over a file written through /v1/fs', async () => {
    await call('PUT', '/v1/fs/a.txt', { rawBody: 'x one\ny\nx two\nz\n' })
    const result = await exec({ command: 'cat /a.txt | grep x | wc -l' })
    expect(result).toMatchObject({ ok: true, tier: 1, exitCode: 0, stdout: '2\n', stderr: '' })
    expect(result.stages?.map((s) => [s.operation, s.tier, s.exitCode])).toEqual([
      ['cat', 1, 0],
      ['grep', 1, 0],
      ['wc', 1, 0],
    ])
  })

  it('handles redirections, && and ; in order', async () => {
    const result = await exec({ command: 'echo one > /b && echo two >> /b; cat /b' })
    expect(result.stdout).toBe('one\ntwo\n')
    expect(result.exitCode).toBe(0)
    const file = await call('GET', '/v1/fs/b')
    expect(await file.text()).toBe('one\ntwo\n')
  })

  it('keeps the redirection on the backend the request names', async () => {
    await exec({ command: 'echo kv > /only-kv.txt', backend: 'kv' })
    expect((await call('GET', '/v1/fs/only-kv.txt?backend=kv')).status).toBe(200)
    expect((await call('GET', '/v1/fs/only-kv.txt?backend=r2')).status).toBe(404)
  })

  it('runs an operation with argv and stdin', async () => {
    const result = await exec({ operation: 'sort', args: ['-r'], stdin: 'a\nc\nb\n' })
    expect(result).toMatchObject({ ok: true, tier: 1, stdout: 'c\nb\na\n' })
  })

  it('expands $VAR from env and honours cwd', async () => {
    await call('PUT', '/v1/fs/work/in.txt', { rawBody: 'hello\n' })
    const result = await exec({ command: 'cat in.txt; echo "$GREETING"', cwd: '/work', env: { GREETING: 'hi there' } })
    expect(result.stdout).toBe('hello\nhi there\n')
  })

  it('reports a failing command as ok:false with COMMAND_FAILED and GNU stderr', async () => {
    const result = await exec({ command: 'cat /missing.txt' })
    expect(result).toMatchObject({ ok: false, exitCode: 1, stderr: 'cat: /missing.txt: No such file or directory\n' })
    expect(result.error?.code).toBe('COMMAND_FAILED')
  })

  it('refuses a malformed line with 400 PARSE_ERROR that points at the column', async () => {
    const response = await call('POST', '/v1/exec', { body: { command: 'echo "unterminated | wc -l' } })
    expect(response.status).toBe(400)
    const body = await json<{ error: { code: string; message: string } }>(response)
    expect(body.error.code).toBe('PARSE_ERROR')
    expect(body.error.message).toMatch(/column \d+/)
  })

  it('refuses tier 7 with 400 VALIDATION_ERROR that lists the tiers there are', async () => {
    for (const path of ['/v1/exec', '/v1/agents/tier7/tasks']) {
      const response = await call('POST', path, { body: { command: 'echo hi', tier: 7 } })
      const body = await json<{ error: { code: string; message: string } }>(response)
      expect([path, response.status, body.error.code]).toEqual([path, 400, 'VALIDATION_ERROR'])
      expect(body.error.message).toContain('tier must be 1 (native), 2 (RPC), 3 (dynamic module) or 4 (Linux sandbox)')
    }
  })

  it('continues the caller trace into the result', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c'
    const response = await call('POST', '/v1/exec', {
      body: { command: 'true' },
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    })
    expect((await json<Result>(response)).traceId).toBe(traceId)
  })
})

describe('POST /v1/exec idempotency', () => {
  it('runs a command once per idempotency key and returns the same execution again', async () => {
    const body = { command: 'echo ran >> /idem.log', idempotencyKey: 'idem-exec-1' }
    const first = await exec(body)
    const second = await exec(body)
    expect(second.traceId).toBe(first.traceId)
    expect(second.executionId).toBe(first.executionId)
    expect(await (await call('GET', '/v1/fs/idem.log')).text()).toBe('ran\n')
    await exec({ command: 'echo ran >> /idem.log', idempotencyKey: 'idem-exec-2' })
    expect(await (await call('GET', '/v1/fs/idem.log')).text()).toBe('ran\nran\n')
  })
})

describe('POST /v1/exec under concurrency', () => {
  it('concurrent execs of one agent (sharing agent calls) each answer alone: their own output and execution, a denied one 403 alone', async () => {
    const tenant = await openTenant()
    const token = tenant.token.value
    const policy = await call('PUT', '/v1/policies/no-rm', { token, body: { rules: [{ actionPattern: 'exec:rm', effect: 'deny' }] } })
    expect(policy.status).toBeLessThan(300)
    const commands = Array.from({ length: 40 }, (_, i) => (i === 5 ? 'rm -rf /x' : `echo ${i}`))
    const responses = await Promise.all(commands.map((command) => call('POST', '/v1/exec', { token, body: { command } })))
    const answers = await Promise.all(responses.map((response) => json<Result & { error?: { code: string } }>(response)))
    expect(responses.map((response) => response.status)).toEqual(commands.map((_, i) => (i === 5 ? 403 : 200)))
    expect(answers.map((answer, i) => (i === 5 ? answer.error?.code : answer.stdout))).toEqual(commands.map((_, i) => (i === 5 ? 'POLICY_DENIED' : `${i}\n`)))
    expect(new Set(answers.filter((_, i) => i !== 5).map((answer) => answer.executionId)).size).toBe(39)
  })
})
