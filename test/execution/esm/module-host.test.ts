/**
 * Tier 3 out of process (issue 16, finding 6): with TIER3_HOST=process the fabric runs modules in the
 * module host's Worker Loader (services/module-host) over the MODULE_HOST binding — here that Worker
 * shares the suite's workerd, so this checks the protocol (code fetched lazily, the fs stub forwarded,
 * the same outcomes), not the process boundary (the attack suite checks that). And the per-call
 * memory ceiling: what the runner can see is refused before it is allocated.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { base64, DOUBLE_SOURCE, run, tenantWith, upload } from './modules'
import { freshTenant, memoryFs } from '../rpc/exec-call'
import { uploadModule, ModuleUploadSchema } from '../../../src/execution/esm/index'

const hosted = { ...env, TIER3_HOST: 'process' }

describe('tier 3 in the module host', () => {
  it('runs a module there with the same value, and uploads are checked there', async () => {
    const tenantId = freshTenant()
    await uploadModule(hosted, tenantId, ModuleUploadSchema.parse({ name: 'double', source: DOUBLE_SOURCE }))
    const result = await run(tenantId, 'double', [1, 2, 3], {}, { bindings: hosted })
    expect(result).toMatchObject({ ok: true, tier: 3, value: [2, 4, 6], stdout: '[2,4,6]\n' })
    const broken = uploadModule(hosted, tenantId, ModuleUploadSchema.parse({ name: 'broken', source: 'export default {' }))
    await expect(broken).rejects.toMatchObject({ code: 'MODULE_INVALID' })
  })

  it('forwards the caller\'s fs stub through the host to the module', async () => {
    const tenantId = await tenantWith('reader', 'export default { async run(ctx) { await ctx.fs.write("/n.txt", "via host"); return ctx.fs.read("/n.txt") } }')
    const fs = memoryFs(tenantId)
    const result = await run(tenantId, 'reader', [], {}, { bindings: hosted, fs })
    expect(result).toMatchObject({ ok: true, value: 'via host' })
    expect(await fs.readText('/n.txt')).toBe('via host')
  })

  it('answers TIMEOUT at the deadline while the module is still working', async () => {
    const tenantId = await tenantWith('waits', 'export default { run: () => new Promise((resolve) => setTimeout(resolve, 20000)) }')
    const result = await run(tenantId, 'waits', [], { timeoutMs: 200 }, { bindings: hosted })
    expect(result.error?.code).toBe('TIMEOUT')
  })
})

describe('tier 3 memory ceiling', () => {
  const bomb = 'export default { run() { const kept = []; for (let i = 0; i < 64; i++) kept.push(new Uint8Array(256 * 1024 * 1024)); return "allocated " + kept.length * 256 + " MB" } }'

  it.each([
    ['in process', env],
    ['in the module host', hosted],
  ])('refuses 64 × 256 MiB before allocating it (%s): RESOURCE_EXHAUSTED naming the ceiling', async (_, bindings) => {
    const tenantId = await tenantWith('bomb', bomb)
    const result = await run(tenantId, 'bomb', [], {}, { bindings })
    expect(result.ok).toBe(false)
    expect(result.error).toMatchObject({ code: 'RESOURCE_EXHAUSTED', details: { ceiling: 'memoryMb', limit: 128 * 1024 * 1024 } })
    expect(result.error?.message).toContain('allocating 268435456 bytes would take this call over its memory ceiling of 134217728 bytes')
  })

  it('counts ArrayBuffers, resizable maxima, typed arrays from lengths and WebAssembly.Memory against limits.memoryMb', async () => {
    const tenantId = freshTenant()
    const attempts = [
      'new ArrayBuffer(3 * 1024 * 1024)',
      'new ArrayBuffer(8, { maxByteLength: 3 * 1024 * 1024 })',
      'new Float64Array(400 * 1024)',
      'new Uint8Array({ length: 3 * 1024 * 1024 })',
      'new WebAssembly.Memory({ initial: 48 })',
      'new ArrayBuffer(8).constructor.call === undefined || new (new Uint8Array(1).buffer.constructor)(3 * 1024 * 1024)',
      '[new ArrayBuffer(1024 * 1024), new ArrayBuffer(1024 * 1024), new ArrayBuffer(1024 * 1024)]',
    ]
    for (const [index, expression] of attempts.entries()) {
      await upload(tenantId, { name: `m${index}`, source: `export default { run() { const x = ${expression}; return 1 } }`, limits: { memoryMb: 2 } })
      const result = await run(tenantId, `m${index}`)
      expect([expression, result.error?.code]).toEqual([expression, 'RESOURCE_EXHAUSTED'])
    }
    await upload(tenantId, { name: 'small', source: 'export default { run() { return new Uint8Array(1024 * 1024).length } }', limits: { memoryMb: 2 } })
    expect(await run(tenantId, 'small')).toMatchObject({ ok: true, value: 1048576 })
  })

  it('counts the result text, and a caught refusal still fails the call', async () => {
    const tenantId = freshTenant()
    await upload(tenantId, { name: 'big', source: 'export default { run() { return "x".repeat(3 * 1024 * 1024) } }', limits: { memoryMb: 2 } })
    expect((await run(tenantId, 'big')).error?.code).toBe('RESOURCE_EXHAUSTED')
    await upload(tenantId, { name: 'sly', source: 'export default { run() { try { new ArrayBuffer(3 * 1024 * 1024) } catch {} throw new Error("gave up") } }', limits: { memoryMb: 2 } })
    expect((await run(tenantId, 'sly')).error?.code).toBe('RESOURCE_EXHAUSTED')
  })

  it('counts a WASM module\'s exported memory', async () => {
    // (module (memory (export "m") 40) (func (export "f") (result i32) i32.const 7))
    const wasm = Uint8Array.of(
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
      0x03, 0x02, 0x01, 0x00,
      0x05, 0x03, 0x01, 0x00, 0x28,
      0x07, 0x09, 0x02, 0x01, 0x6d, 0x02, 0x00, 0x01, 0x66, 0x00, 0x00,
      0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x07, 0x0b,
    )
    const tenantId = freshTenant()
    await upload(tenantId, { name: 'mem', wasm: base64(wasm), entry: 'f', limits: { memoryMb: 2 } })
    expect((await run(tenantId, 'mem')).error?.code).toBe('RESOURCE_EXHAUSTED')
    await upload(tenantId, { name: 'mem3', wasm: base64(wasm), entry: 'f', limits: { memoryMb: 3 } })
    expect(await run(tenantId, 'mem3')).toMatchObject({ ok: true, value: 7 })
  })
})
