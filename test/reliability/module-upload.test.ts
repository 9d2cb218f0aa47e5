/**
 * Fuzz: module upload (POST /v1/modules) and the first call of what was
 * accepted. Random names (valid, invalid, colliding with native operations),
 * ESM sources (valid modules with odd exports, syntax garbage, modules that
 * throw at import or in run) and WASM bytes (random, or a real header with
 * garbage behind it): the upload answers 2xx or a 4xx with a registered code,
 * never 5xx, and running an accepted module answers an ExecResult, never 5xx.
 * No generated source loops (local workerd enforces no CPU limit).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../types/errors'
import { call } from '../helpers/http'
import { openTenant } from '../helpers/tenants'
import { anyString } from './arbitraries'

const REGISTERED_CODES = new Set(Object.keys(ERROR_CODES))

const name = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9_-]{0,20}$/), weight: 4 },
  { arbitrary: fc.constantFrom('cat', 'echo', 'jq', 'grep', 'sh', 'ls'), weight: 1 },
  { arbitrary: anyString, weight: 1 },
)

/** Expressions a module's run() may return or throw, including non-JSON values. */
const value = fc.constantFrom('ctx.args', '42', 'undefined', 'null', '() => 1', 'Symbol("s")', '10n', 'new Map([[1, 2]])', '{ a: { b: [1, 2] } }', 'ctx', 'globalThis', '"x".repeat(1000)', 'Promise.resolve(7)', 'new Promise(() => {})', 'ctx.fs')

const validModule = fc.oneof(
  value.map((v) => `export default { run(ctx) { return ${v} } }`),
  value.map((v) => `export default { async run(ctx) { throw ${v} } }`),
  value.map((v) => `throw ${v}\nexport default {}`),
  value.map((v) => `export default ${v}`),
  value.map((v) => `export const run = () => ${v}`),
)

const TOKENS = ['export', 'default', 'import', '{', '}', '(', ')', 'run', 'ctx', '=>', 'return', ';', 'async', 'await', '"', "'", '`', '/*', '//', '\n', 'x', '1', 'from', 'class', 'new', 'this', '.']
const garbageSource = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 20 }).map((t) => t.join(' '))

const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
const wasm = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }).map((tail) => Uint8Array.from([...WASM_HEADER, ...tail]))).map((bytes) => btoa(String.fromCharCode(...bytes)))

const egressHost = fc.oneof({ arbitrary: fc.domain(), weight: 4 }, { arbitrary: anyString, weight: 1 })

const upload = fc.oneof(
  { arbitrary: fc.record({ name, source: validModule }), weight: 5 },
  { arbitrary: fc.record({ name, source: fc.oneof(garbageSource, anyString) }), weight: 2 },
  { arbitrary: fc.record({ name, wasm: fc.oneof(wasm, anyString), entry: fc.oneof(fc.constantFrom('add', 'run', 'main'), anyString) }), weight: 2 },
  {
    arbitrary: fc.record({
      name,
      source: validModule,
      egress: fc.array(egressHost, { maxLength: 3 }),
      limits: fc.record({ cpuMs: fc.integer({ min: -5, max: 400_000 }), wallMs: fc.integer({ min: -5, max: 2000 }) }),
    }),
    weight: 1,
  },
)

async function expectNoFault(response: Response, label: string): Promise<unknown> {
  const text = await response.text()
  expect(response.status, `${label} → ${response.status} ${text.slice(0, 300)}`).toBeLessThan(500)
  const body = JSON.parse(text) as { error?: { code?: string } }
  if (response.status >= 400) expect(REGISTERED_CODES.has(String(body.error?.code)), `${label} → ${text.slice(0, 300)}`).toBe(true)
  return body
}

describe('fuzz: module upload', () => {
  it('accepts or refuses with a registered 4xx, and what it accepts runs to an ExecResult', async () => {
    // A tenant of its own with room in its rate limit, so every request reaches the upload logic.
    const { token } = await openTenant({ rateLimit: { ratePerSecond: 10_000, burst: 100_000 } })
    const accepted = new Set<string>()
    await fc.assert(
      fc.asyncProperty(upload, async (body) => {
        const label = `POST /v1/modules ${JSON.stringify(body).slice(0, 200)}`
        const response = await call('POST', '/v1/modules', { token: token.value, body })
        const uploaded = await expectNoFault(response, label)
        if (response.status >= 300) return
        accepted.add(body.name)
        const run = await call('POST', '/v1/exec', { token: token.value, body: { operation: body.name, args: [1, 2], timeoutMs: 2000 } })
        const result = (await expectNoFault(run, `run ${body.name} after ${label}`)) as { tier?: number; ok?: boolean }
        if (run.status === 200) expect(typeof result.ok, JSON.stringify(uploaded)).toBe('boolean')
      }),
      { numRuns: 150 },
    )
    // The run really exercised acceptance, not only refusals.
    expect(accepted.size).toBeGreaterThan(0)
  }, 300_000)
})
