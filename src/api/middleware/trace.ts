/** Continues the caller's W3C trace (or starts one) and tags the response with it. */
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { newId } from '../../core/ids'
import { traceFrom } from '../../core/trace'
import type { AppEnv } from '../app-env'

/**
 * Sets a header on the finished response. Hono's `c.header` copies a finished response into a new one
 * first (its headers may be immutable, as a fetched response's are); a response this app built has
 * mutable headers, so it is tagged in place, and only one that refuses is copied.
 */
function tagResponse(c: Context<AppEnv>, name: string, value: string): void {
  try {
    c.res.headers.set(name, value)
  } catch {
    c.header(name, value)
  }
}

export const traceMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const trace = traceFrom(c.req.header('traceparent'))
  const requestId = newId('req')
  c.set('trace', trace)
  c.set('requestId', requestId)
  await next()
  tagResponse(c, 'traceparent', trace.traceparent)
  tagResponse(c, 'x-request-id', requestId)
})
