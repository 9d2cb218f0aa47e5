import { describe, expect, it } from 'vitest'
import { call, json } from '../helpers/http'

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> }
}

describe('API errors and authentication', () => {
  it('refuses a request without a token with 401 UNAUTHORIZED', async () => {
    const response = await call('POST', '/v1/exec', { token: null, body: { command: 'echo hi' } })
    expect(response.status).toBe(401)
    const body = await json<ErrorBody>(response)
    expect(body.error.code).toBe('UNAUTHORIZED')
    expect(body.error.message).toContain('Authorization: Bearer')
  })

  it('refuses an unknown token with 401', async () => {
    const response = await call('GET', '/v1/fs/', { token: 'not-a-real-token' })
    expect(response.status).toBe(401)
    expect((await json<ErrorBody>(response)).error.code).toBe('UNAUTHORIZED')
  })

  it.each([
    ['POST', '/v1/exec', 'application/x-www-form-urlencoded', "sent 'application/x-www-form-urlencoded'"],
    ['POST', '/v1/agents', undefined, 'sent no Content-Type'],
  ])('answers %s %s with a JSON body sent as %s with 415 UNSUPPORTED_MEDIA_TYPE', async (method, path, type, sent) => {
    // Bytes, not a string: a string body would get text/plain from the Request constructor.
    const response = await call(method, path, { rawBody: new TextEncoder().encode('{"command":"echo hi"}'), headers: type ? { 'content-type': type } : {} })
    expect(response.status).toBe(415)
    const body = await json<ErrorBody>(response)
    expect(body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    expect(body.error.message).toBe(`${method} ${path} takes a JSON body: send it with Content-Type: application/json (this request ${sent})`)
  })

  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    const response = await call('POST', '/v1/exec', {
      rawBody: '{"command": "echo',
      headers: { 'content-type': 'application/json' },
    })
    expect(response.status).toBe(400)
    expect((await json<ErrorBody>(response)).error.code).toBe('INVALID_JSON')
  })

  it('names the bad field of a body that fails validation', async () => {
    const response = await call('POST', '/v1/exec', { body: { command: 'ls', timeoutMs: -5 } })
    expect(response.status).toBe(400)
    const body = await json<ErrorBody>(response)
    expect(body.error.code).toBe('VALIDATION_ERROR')
    expect(body.error.message).toContain('timeoutMs')
    expect(body.error.details?.issues).toEqual([{ path: 'timeoutMs', message: expect.any(String) }])
  })

  it('refuses a body with both command and operation', async () => {
    const response = await call('POST', '/v1/exec', { body: { command: 'ls', operation: 'ls' } })
    expect(response.status).toBe(400)
    expect((await json<ErrorBody>(response)).error.message).toContain('exactly one of "command"')
  })

  it('refuses unknown fields instead of ignoring them', async () => {
    const response = await call('POST', '/v1/exec', { body: { command: 'ls', tierr: 1 } })
    expect(response.status).toBe(400)
    expect((await json<ErrorBody>(response)).error.code).toBe('VALIDATION_ERROR')
  })

  it('refuses an oversized body with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1)
    const response = await call('PUT', '/v1/fs/big.bin', { rawBody: big })
    expect(response.status).toBe(413)
    expect((await json<ErrorBody>(response)).error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('answers an unknown route with 404 NOT_FOUND in the error format', async () => {
    const response = await call('GET', '/v1/nothing-here')
    expect(response.status).toBe(404)
    expect((await json<ErrorBody>(response)).error.code).toBe('NOT_FOUND')
  })

  it.each([
    ['DELETE', '/v1/exec', 'POST'],
    ['POST', '/v1/whoami', 'GET, HEAD'],
    ['POST', '/v1/fs/a.txt', 'DELETE, GET, HEAD, PUT'],
    ['PUT', '/v1/agents/a1/tasks', 'GET, HEAD, POST'],
    ['PATCH', '/v1/tasks/tsk_x', 'DELETE, GET, HEAD'],
  ])('answers %s %s with 405 METHOD_NOT_ALLOWED and Allow: %s', async (method, path, allow) => {
    const response = await call(method, path)
    expect([response.status, response.headers.get('allow')]).toEqual([405, allow])
    const body = await json<ErrorBody>(response)
    expect(body.error.code).toBe('METHOD_NOT_ALLOWED')
    expect(body.error.message).toContain(`use ${allow}`)
  })

  it('continues the caller trace and echoes traceparent', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
    const response = await call('GET', '/health', { headers: { traceparent } })
    expect(response.headers.get('traceparent')).toBe(traceparent)
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/)
  })
})

describe('public routes', () => {
  it('GET /health reports the version and every tier', async () => {
    const response = await call('GET', '/health', { token: null })
    expect(response.status).toBe(200)
    const body = await json<{ status: string; version: string; tiers: { tier: number; name: string }[] }>(response)
    expect(body.status).toBe('ok')
    expect(body.version).toBe('0.1.0')
    expect(body.tiers.map((t) => [t.tier, t.name])).toEqual([
      [1, 'native'],
      [2, 'rpc'],
      [3, 'esm'],
      [4, 'sandbox'],
    ])
  })

  it('GET /openapi.json documents the exec and fs routes with bearer security', async () => {
    const response = await call('GET', '/openapi.json', { token: null })
    expect(response.status).toBe(200)
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, unknown>>; components: { securitySchemes: Record<string, unknown> } }>(response)
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths['/v1/exec'] ?? {})).toEqual(['post'])
    expect(Object.keys(doc.paths['/v1/fs/{path}'] ?? {}).sort()).toEqual(['delete', 'get', 'put'])
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' })
  })
})
