/** Continues the caller's W3C trace (or starts one) and tags the response with it. */
import { createMiddleware } from 'hono/factory'
import { newId } from '../../core/ids'
import { traceFrom } from '../../core/trace'
import type { AppEnv } from '../app-env'

export const traceMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const trace = traceFrom(c.req.header('traceparent'))
  const requestId = newId('req')
  c.set('trace', trace)
  c.set('requestId', requestId)
  await next()
  c.header('traceparent', trace.traceparent)
  c.header('x-request-id', requestId)
})
