/**
 * `POST /v1/modules` and `GET /v1/modules` over HTTP, behind the fabric's own
 * trace and auth middleware and error mapper (mounted here on a bare app, as
 * src/api/app.ts mounts them): status codes, error bodies, the upload's
 * audit event, and tenant scoping of the list.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../../../src/api/app-env'
import { handleError } from '../../../src/api/error-handler'
import { authMiddleware } from '../../../src/api/middleware/auth'
import { traceMiddleware } from '../../../src/api/middleware/trace'
import { moduleRoutes } from '../../../src/api/routes/modules'
import { base64, DOUBLE_SOURCE, WASM_ADD } from './modules'

const app = new OpenAPIHono<AppEnv>()
app.use('*', traceMiddleware)
app.onError(handleError)
app.use('/v1/*', authMiddleware)
app.route('/', moduleRoutes)

/** The dev token (vitest.config.ts sets FABRIC_DEV_TOKEN) authenticates as admin of tenant `dev`. */
const AUTH = { authorization: 'Bearer test-dev-token' }

function post(body: unknown, headers: Record<string, string> = AUTH): Promise<Response> {
  return Promise.resolve(app.request('/v1/modules', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }, env))
}

describe('/v1/modules', () => {
  it('stores an ESM module (201 with its metadata) and lists it', async () => {
    const name = `double-${crypto.randomUUID().slice(0, 8)}`
    const response = await post({ name, source: DOUBLE_SOURCE })
    expect(response.status).toBe(201)
    const module = (await response.json()) as { name: string; hash: string; kind: string; egress: string[] }
    expect(module).toMatchObject({ name, kind: 'esm', egress: [] })
    expect(module.hash).toMatch(/^[0-9a-f]{64}$/)

    const list = await app.request('/v1/modules', { headers: AUTH }, env)
    expect(list.status).toBe(200)
    const { modules } = (await list.json()) as { modules: { name: string; hash: string }[] }
    expect(modules.find((m) => m.name === name)).toMatchObject({ name, hash: module.hash })
  })

  it('stores a WASM module from base64 with its entry', async () => {
    const response = await post({ name: `add-${crypto.randomUUID().slice(0, 8)}`, wasm: base64(WASM_ADD), entry: 'add' })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ kind: 'wasm', entry: 'add', size: WASM_ADD.byteLength })
  })

  it('records the upload as an admin.action event in the WAL', async () => {
    const name = `audited-${crypto.randomUUID().slice(0, 8)}`
    expect((await post({ name, source: DOUBLE_SOURCE })).status).toBe(201)
    const row = await env.DB.prepare("SELECT data FROM wal_events WHERE type = 'admin.action' AND tenant_id = 'dev' AND data LIKE ?")
      .bind(`%${name}%`)
      .first<{ data: string }>()
    expect(JSON.parse(row!.data)).toMatchObject({ action: 'module.upload', target: { module: name } })
  })

  it('answers 400 MODULE_INVALID for a syntax error, with the error body shape', async () => {
    const response = await post({ name: 'broken', source: 'export default {' })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('MODULE_INVALID')
    expect(body.error.message).toMatch(/^module 'broken' was not stored: it does not load: .*SyntaxError/s)
  })

  it('answers 409 CONFLICT for a built-in name and 400 VALIDATION_ERROR for a bad body', async () => {
    const conflict = await post({ name: 'grep', source: DOUBLE_SOURCE })
    expect(conflict.status).toBe(409)
    expect(((await conflict.json()) as { error: { code: string } }).error.code).toBe('CONFLICT')
    const invalid = await post({ name: 'x', wasm: 'AAA', entry: 'add' })
    expect(invalid.status).toBe(400)
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR')
  })

  it('needs a token', async () => {
    const response = await post({ name: 'double', source: DOUBLE_SOURCE }, {})
    expect(response.status).toBe(401)
  })
})
