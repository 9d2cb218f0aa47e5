/**
 * Uploading modules: bad code is MODULE_INVALID at upload (not at the first
 * call), built-in names are refused, code is stored content-addressed in R2
 * with metadata in D1, and a re-upload replaces the version a name runs.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { FabricError } from '../../../types/errors'
import { esmExecutor, listModules, ModuleUploadSchema } from '../../../src/execution/esm/index'
import { sha256Hex } from '../../../src/core/digest'
import { freshTenant } from '../rpc/exec-call'
import { base64, DOUBLE_SOURCE, run, upload, WASM_ADD, type UploadInput } from './modules'

async function refusal(tenantId: string, input: UploadInput): Promise<FabricError> {
  try {
    await upload(tenantId, input)
  } catch (error) {
    return error as FabricError
  }
  throw new Error(`expected the upload of '${input.name}' to be refused`)
}

describe('tier 3: uploading modules', () => {
  it('refuses JavaScript with a syntax error as MODULE_INVALID, naming the line and column', async () => {
    const error = await refusal(freshTenant(), { name: 'broken', source: 'export default { run( }' })
    expect(error).toMatchObject({ code: 'MODULE_INVALID', status: 400 })
    expect(error.message).toMatch(/^module 'broken' was not stored: it does not load: .*SyntaxError: Unexpected token '\}'.*module\.js:1:22/s)
  })

  it('refuses a module without run(ctx), and one whose top level throws', async () => {
    const tenantId = freshTenant()
    expect((await refusal(tenantId, { name: 'no-run', source: 'export const run = () => 1' })).message).toBe(
      "module 'no-run' was not stored: the default export has no run(ctx) function; export default { run(ctx) { ... } }",
    )
    const throwing = await refusal(tenantId, { name: 'top-throw', source: "throw new Error('at load')\nexport default { run() {} }" })
    expect(throwing.code).toBe('MODULE_INVALID')
    expect(throwing.message).toMatch(/it does not load: .*Error: at load/s)
  })

  it('refuses invalid WASM, a missing entry export, and modules that need imports', async () => {
    const tenantId = freshTenant()
    const garbage = await refusal(tenantId, { name: 'garbage', wasm: base64(Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 9, 9, 9)), entry: 'add' })
    expect(garbage.code).toBe('MODULE_INVALID')
    expect(garbage.message).toMatch(/^module 'garbage' was not stored: it does not load: /)

    const wrongEntry = await refusal(tenantId, { name: 'wrong-entry', wasm: base64(WASM_ADD), entry: 'sub' })
    expect(wrongEntry.message).toBe("module 'wrong-entry' was not stored: the module exports no function sub (its function exports: add)")

    // (import "env" "f" (func)) with no functions of its own.
    const needsImport = Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 9, 1, 3, 101, 110, 118, 1, 102, 0, 0)
    const imports = await refusal(tenantId, { name: 'imports', wasm: base64(needsImport), entry: 'f' })
    expect(imports.message).toBe("module 'imports' was not stored: the module imports env.f; only self-contained modules (no imports) are supported")
  })

  it('accepts only padded standard base64 for wasm, and bounded names, egress hosts and limits', () => {
    const valid = { name: 'add', wasm: base64(WASM_ADD), entry: 'add' }
    expect(ModuleUploadSchema.safeParse(valid).success).toBe(true)
    for (const bad of [
      { ...valid, wasm: 'AAA' },
      { ...valid, wasm: 'AA$A' },
      { ...valid, name: 'Add' },
      { ...valid, entry: 'not-an-identifier' },
      { ...valid, egress: ['http://api.example.com'] },
      { ...valid, limits: { cpuMs: 0 } },
      { name: 'both', source: DOUBLE_SOURCE, wasm: base64(WASM_ADD), entry: 'add' },
    ]) {
      expect(ModuleUploadSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })

  it('refuses names of built-in operations (tier 1 and tier 2) with CONFLICT', async () => {
    const tenantId = freshTenant()
    const native = await refusal(tenantId, { name: 'cat', source: DOUBLE_SOURCE })
    expect(native).toMatchObject({ code: 'CONFLICT', status: 409, message: "'cat' is a built-in tier-1 operation, so a module cannot take that name; choose another" })
    expect((await refusal(tenantId, { name: 'jq', source: DOUBLE_SOURCE })).message).toBe(
      "'jq' is a built-in tier-2 operation, so a module cannot take that name; choose another",
    )
  })

  it('stores the code once under modules/<sha-256> and the metadata per tenant and name', async () => {
    const tenantId = freshTenant()
    const code = new TextEncoder().encode(DOUBLE_SOURCE)
    const hash = await sha256Hex(code)
    const first = await upload(tenantId, { name: 'double', source: DOUBLE_SOURCE, egress: ['api.example.com', 'api.example.com'], limits: { cpuMs: 50, wallMs: 1000 } })
    expect(first).toEqual({
      name: 'double',
      hash,
      kind: 'esm',
      size: code.byteLength,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      egress: ['api.example.com'],
      limits: { cpuMs: 50, wallMs: 1000 },
    })
    const stored = await env.FILES.get(`modules/${hash}`)
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(code)

    await upload(tenantId, { name: 'twice', source: DOUBLE_SOURCE })
    await upload(tenantId, { name: 'add', wasm: base64(WASM_ADD), entry: 'add' })
    const modules = await listModules(env, tenantId)
    expect(modules.map((m) => [m.name, m.kind, m.hash === hash])).toEqual([
      ['add', 'wasm', false],
      ['double', 'esm', true],
      ['twice', 'esm', true],
    ])
    expect(modules[0]).toMatchObject({ entry: 'add', size: WASM_ADD.byteLength, hash: await sha256Hex(WASM_ADD) })
    expect(await listModules(env, freshTenant())).toEqual([])
  })

  it('runs the new version right after a re-upload of the same name', async () => {
    const tenantId = freshTenant()
    await upload(tenantId, { name: 'version', source: 'export default { run: () => 1 }' })
    expect((await run(tenantId, 'version')).value).toBe(1)
    await upload(tenantId, { name: 'version', source: 'export default { run: () => 2 }' })
    expect((await run(tenantId, 'version')).value).toBe(2)
    expect(await listModules(env, tenantId)).toHaveLength(1)
  })

  it("is routed to tier 3 only for the owning tenant's module names", async () => {
    const owner = freshTenant()
    await upload(owner, { name: 'double', source: DOUBLE_SOURCE })
    expect(await esmExecutor.handles('double', env, owner)).toBe(true)
    expect(await esmExecutor.handles('double', env, freshTenant())).toBe(false)
    expect(await esmExecutor.handles('double', env)).toBe(false)
    expect(await esmExecutor.handles('cat', env, owner)).toBe(false)
    expect(await esmExecutor.handles('Not A Name', env, owner)).toBe(false)
  })
})
