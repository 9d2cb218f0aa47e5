/**
 * Running tier-3 modules in Worker Loader isolates: values, logs and the
 * ModuleContext a module sees; WASM exports; and every way a call can fail.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { base64, DOUBLE_SOURCE, run, tenantWith, upload, WASM_ADD } from './modules'
import { freshTenant } from '../rpc/exec-call'

describe('tier 3: running modules', () => {
  it('runs a doubling ESM module: [1,2,3] → [2,4,6] on tier 3', async () => {
    const tenantId = await tenantWith('double', DOUBLE_SOURCE)
    const result = await run(tenantId, 'double', [1, 2, 3])
    expect(result).toMatchObject({ ok: true, tier: 3, operation: 'double', exitCode: 0, value: [2, 4, 6], stdout: '[2,4,6]\n', stderr: '', logs: [] })
    expect(result.duration).toBeGreaterThan(0)
  })

  it('runs a WASM module\'s entry export: add(40, 2) → 42', async () => {
    const tenantId = freshTenant()
    await upload(tenantId, { name: 'add', wasm: base64(WASM_ADD), entry: 'add' })
    const result = await run(tenantId, 'add', [40, 2])
    expect(result).toMatchObject({ ok: true, tier: 3, value: 42, stdout: '42\n', exitCode: 0 })
  })

  it('gives the module its ModuleContext and returns what it logged, in order', async () => {
    const source = `export default {
      async run(ctx) {
        ctx.log('starting', { args: ctx.args.length })
        ctx.log(new Error('just logged'))
        return { stdin: ctx.stdin, tenantId: ctx.tenantId, agentId: ctx.agentId, executionId: ctx.executionId, traceparent: ctx.traceparent }
      },
    }`
    const tenantId = await tenantWith('context', source)
    const result = await run(tenantId, 'context', ['a', { b: 1 }], { stdin: 'piped in\n', agentId: 'agent-7', executionId: 'exe_fixed', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' })
    expect(result.ok).toBe(true)
    expect(result.value).toEqual({
      stdin: 'piped in\n',
      tenantId,
      agentId: 'agent-7',
      executionId: 'exe_fixed',
      // The call's own span: same trace as the caller, a new span id.
      traceparent: expect.stringMatching(/^00-0af7651916cd43dd8448eb211c80319c-(?!b7ad6b7169203331)[0-9a-f]{16}-01$/),
    })
    expect(result.logs?.[0]).toBe('starting {"args":2}')
    expect(result.logs?.[1]).toMatch(/^Error: just logged\n\s+at /)
    expect(result.logs).toHaveLength(2)
  })

  it('prints a string result as is on stdout, and no value at all as empty output', async () => {
    const tenantId = freshTenant()
    await upload(tenantId, { name: 'greet', source: 'export default { run: (ctx) => `hello ${ctx.args[0]}\\n` }' })
    await upload(tenantId, { name: 'quiet', source: 'export default { run() {} }' })
    expect(await run(tenantId, 'greet', ['world'])).toMatchObject({ ok: true, value: 'hello world\n', stdout: 'hello world\n' })
    const quiet = await run(tenantId, 'quiet')
    expect(quiet).toMatchObject({ ok: true, stdout: '' })
    expect(quiet).not.toHaveProperty('value')
  })

  it('reports a module that throws as MODULE_ERROR with its message, its stack on stderr, and the logs so far', async () => {
    const source = `export default {
      run(ctx) {
        ctx.log('about to fail')
        throw new RangeError('n must be positive')
      },
    }`
    const tenantId = await tenantWith('fails', source)
    const result = await run(tenantId, 'fails', [-1])
    expect(result).toMatchObject({ ok: false, tier: 3, exitCode: 1, logs: ['about to fail'] })
    expect(result.error).toMatchObject({ code: 'MODULE_ERROR', retriable: false, message: "module 'fails' threw RangeError: n must be positive" })
    expect(result.error?.details).toMatchObject({ name: 'RangeError', message: 'n must be positive' })
    expect(result.stderr).toMatch(/^RangeError: n must be positive\n\s+at .*module\.js:4:15/)
  })

  it('refuses a result that is not JSON data with a message saying what to return', async () => {
    const tenantId = freshTenant()
    await upload(tenantId, { name: 'returns-fn', source: 'export default { run: () => ({ f() {} }) }' })
    await upload(tenantId, { name: 'returns-cycle', source: 'export default { run: () => { const a = {}; a.self = a; return a } }' })
    for (const name of ['returns-fn', 'returns-cycle']) {
      const result = await run(tenantId, name)
      expect(result).toMatchObject({ ok: false, exitCode: 1 })
      expect(result.error?.code).toBe('MODULE_ERROR')
      expect(result.error?.message).toContain(`module '${name}': the module returned a value that cannot be serialized as JSON (`)
      expect(result.error?.message).toContain('return plain data')
    }
  })

  it('stops waiting for asynchronous work at the deadline: TIMEOUT, exit status 124', async () => {
    const tenantId = await tenantWith('sleeps', 'export default { async run() { await new Promise((r) => setTimeout(r, 60_000)); return "late" } }')
    const result = await run(tenantId, 'sleeps', [], { timeoutMs: 100 })
    expect(result).toMatchObject({ ok: false, tier: 3, exitCode: 124 })
    expect(result.error).toMatchObject({ code: 'TIMEOUT', message: "module 'sleeps' did not finish within 100 ms; raise timeoutMs (or the module's limits.wallMs)" })
  })

  it("takes the module's limits.wallMs as its deadline when it is shorter than timeoutMs", async () => {
    const tenantId = await tenantWith('naps', 'export default { async run() { await new Promise((r) => setTimeout(r, 60_000)) } }', { limits: { wallMs: 50 } })
    const result = await run(tenantId, 'naps', [], { timeoutMs: 30_000 })
    expect(result.error).toMatchObject({ code: 'TIMEOUT', message: "module 'naps' did not finish within 50 ms; raise timeoutMs (or the module's limits.wallMs)" })
  })

  it('stops at once for a caller that already cancelled: CANCELLED, exit status 130', async () => {
    const tenantId = await tenantWith('double', DOUBLE_SOURCE)
    const result = await run(tenantId, 'double', [1], { signal: AbortSignal.abort() })
    expect(result).toMatchObject({ ok: false, exitCode: 130 })
    expect(result.error?.code).toBe('CANCELLED')
  })

  it('answers MODULE_NOT_FOUND for a name the tenant never uploaded', async () => {
    const result = await run(freshTenant(), 'nothing-here', [])
    expect(result).toMatchObject({ ok: false, tier: 3, exitCode: 127 })
    expect(result.error).toMatchObject({ code: 'MODULE_NOT_FOUND', retriable: false })
  })

  it('refuses WASM arguments that are not numbers, before starting an isolate', async () => {
    const tenantId = freshTenant()
    await upload(tenantId, { name: 'add', wasm: base64(WASM_ADD), entry: 'add' })
    const result = await run(tenantId, 'add', [40, 'two'])
    expect(result.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'args[1]: a WASM module takes numbers only' })
  })

  it('answers TIER_UNAVAILABLE when the Worker Loader binding is missing', async () => {
    const tenantId = await tenantWith('double', DOUBLE_SOURCE)
    const result = await run(tenantId, 'double', [1], {}, { bindings: { ...env, LOADER: undefined } })
    expect(result.error).toMatchObject({ code: 'TIER_UNAVAILABLE', retriable: true })
  })
})
