/**
 * Fuzz: the HTTP API. Random methods, paths (every route template of the
 * OpenAPI document with hostile segments, plus the routes it cannot describe
 * and garbage), headers and bodies, sent to the real Worker with real
 * bindings. Whatever arrives, the answer is never a 5xx, and every refusal is
 * a 4xx whose JSON body is `{error: {code, message}}` with a registered code.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../types/errors'
import { call, json } from '../helpers/http'
import { anyJson, anyString, hostilePath } from './arbitraries'

const REGISTERED_CODES = new Set(Object.keys(ERROR_CODES))
/** Routes outside the OpenAPI document (raw Hono routes). */
const EXTRA_TEMPLATES = ['/v1/fs/{path}', '/v1/agents/{id}/stream', '/metrics', '/health', '/openapi.json']
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']

/** Every route the API serves, with the methods the OpenAPI document gives it (extra routes: GET and PUT). */
let routes: Array<{ template: string; methods: string[] }> = []

beforeAll(async () => {
  const document = await json<{ paths: Record<string, Record<string, unknown>> }>(await call('GET', '/openapi.json'))
  routes = [
    ...Object.entries(document.paths).map(([template, item]) => ({ template, methods: Object.keys(item).map((m) => m.toUpperCase()) })),
    ...EXTRA_TEMPLATES.map((template) => ({ template, methods: ['GET', 'PUT', 'DELETE'] })),
  ]
})

/** Field names the API's bodies use, so random bodies reach validation and the handlers behind it. */
const FIELD_NAMES = [
  'command', 'operation', 'args', 'id', 'name', 'source', 'wasm', 'entry', 'egress', 'steps', 'compensate', 'rules',
  'actionPattern', 'effect', 'scope', 'level', 'priority', 'dependsOn', 'timeoutSeconds', 'timeoutMs', 'deadline',
  'retry', 'maxAttempts', 'idempotencyKey', 'decision', 'approver', 'scopes', 'rateLimit', 'tokens', 'model',
  'costUsd', 'active', 'reason', 'tier', 'cwd', 'env', 'stdin', 'backend', 'agentId', 'actions', 'intent_type',
  'session_id', 'payload', 'mode', 'drainTimeout', 'waitSeconds', 'budget', 'isolation', 'policies', 'type',
]

const plausibleValue = fc.oneof(
  anyJson,
  fc.constantFrom('echo hi', 'cat /a.txt | wc -l', 'rm -rf /', 'sleep 0', 'ls ..', 1, 2, 4, -1, 0, 1e308, 'tenant', 'deny', 'allow', 'exec:*', []),
)

const routeShapedBody = fc.dictionary(fc.constantFrom(...FIELD_NAMES), plausibleValue, { maxKeys: 5 }).map((body) => JSON.stringify(body))

/** Percent-encodes the UTF-8 bytes of `text` except unreserved characters (lone surrogates become U+FFFD). */
function percentEncode(text: string): string {
  return [...new TextEncoder().encode(text)].map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('')
}

/** A segment for a `{param}`: plausible ids, hostile text, or encoded traversal. */
const segment = fc.oneof(
  fc.stringMatching(/^[a-z0-9_-]{1,20}$/),
  fc.constantFrom('..', '%2e%2e', '%00', '%2F', 'tsk_00', 'sag_' + '0'.repeat(32), 'default', 'x'.repeat(300)),
  anyString.map(percentEncode),
)

function fill(template: string, values: string[]): string {
  let i = 0
  return template.replace(/\{[^}]+\}/g, () => values[i++ % values.length] ?? 'x')
}

/** `value` most of the time (`weight` to 1), otherwise nothing. */
function mostlyAbsent<T>(value: fc.Arbitrary<T>, weight: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight }, { arbitrary: value, weight: 1 })
}

const requestArbitrary = fc.record({
  routeIndex: fc.nat(),
  methodIndex: fc.nat(),
  anyMethod: mostlyAbsent(fc.constantFrom(...METHODS), 6),
  values: fc.array(segment, { minLength: 1, maxLength: 3 }),
  garbagePath: mostlyAbsent(hostilePath.map((p) => `/v1/${p.split('/').map(percentEncode).join('/')}`), 8),
  query: mostlyAbsent(fc.dictionary(fc.constantFrom('wait', 'since', 'limit', 'after', 'status', 'backend', 'recursive', 'waitSeconds', 'executionId', 'x'), anyString), 2),
  // Mostly the valid token, so requests get past authentication.
  token: mostlyAbsent(fc.constantFrom<string | null>(null, 'bogus-token'), 9),
  contentType: mostlyAbsent(fc.constantFrom('text/plain', 'application/octet-stream', 'multipart/form-data'), 5).map((t) => t ?? 'application/json'),
  body: fc.oneof(
    { arbitrary: routeShapedBody, weight: 4 },
    anyJson.map((value) => JSON.stringify(value)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constant('{"command": "echo'),
    fc.constant(undefined),
  ),
})

describe('fuzz: HTTP API', () => {
  it('never answers 5xx, and every refusal is a 4xx with a registered error code', async () => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary, async (r) => {
        const route = routes[r.routeIndex % routes.length] as { template: string; methods: string[] }
        const method = r.anyMethod ?? (route.methods[r.methodIndex % route.methods.length] as string)
        let path = r.garbagePath ?? fill(route.template, r.values)
        if (r.query) path += `?${new URLSearchParams(r.query).toString()}`
        const hasBody = r.body !== undefined && !['GET', 'HEAD'].includes(method)
        const response = await call(method, path, {
          token: r.token,
          ...(hasBody ? { rawBody: r.body } : {}),
          headers: r.contentType && hasBody ? { 'content-type': r.contentType } : {},
        })
        const text = await response.text()
        const label = `${method} ${path} → ${response.status} ${text.slice(0, 300)}`
        expect(response.status, label).toBeLessThan(500)
        if (response.status >= 400 && method !== 'HEAD') {
          const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }
          expect(REGISTERED_CODES.has(String(body.error?.code)), label).toBe(true)
          expect(typeof body.error?.message, label).toBe('string')
        }
      }),
      { numRuns: 500 },
    )
  }, 180_000)
})
