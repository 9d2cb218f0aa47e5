import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../../src/api/app-env'
import { traceMiddleware } from '../../src/api/middleware/trace'

const CALLER_TRACE = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'

function app() {
  return new Hono<AppEnv>()
    .use(traceMiddleware)
    .get('/built', (c) => c.json({ ok: true }, 201, { 'x-own': 'kept' }))
    // Response.redirect's headers are immutable, as a fetched response's are.
    .get('/immutable', () => Response.redirect('https://example.com/next', 302))
}

async function call(path: string): Promise<Response> {
  return app().request(path, { headers: { traceparent: CALLER_TRACE } })
}

/** The caller's trace continued in a new span, and a request id. */
function expectTagged(response: Response): void {
  expect(response.headers.get('traceparent')).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/)
  expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/)
}

describe('traceMiddleware: every response carries the trace and the request id', () => {
  it('tags a response the app built, keeping its status, headers and body', async () => {
    const response = await call('/built')
    expect(response.status).toBe(201)
    expect(response.headers.get('x-own')).toBe('kept')
    expectTagged(response)
    expect(await response.json()).toEqual({ ok: true })
  })

  it('tags a response whose headers are immutable by copying it', async () => {
    const response = await call('/immutable')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('https://example.com/next')
    expectTagged(response)
  })
})
