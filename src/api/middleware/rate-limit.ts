/**
 * Per-tenant rate limit (after auth): one token per request from the tenant's
 * RateLimiterDO bucket; an empty bucket is a 429 RATE_LIMITED with
 * `Retry-After` in seconds.
 */
import { createMiddleware } from 'hono/factory'
import { FabricError } from '../../../types/errors'
import type { AppEnv } from '../app-env'
import { errorJson } from '../error-handler'
import { takeRequestToken } from '../rate-limit/take'

export const rateLimitMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  try {
    await takeRequestToken(c.env, c.get('auth').tenantId, { requestId: c.get('requestId'), traceId: c.get('trace').traceId })
  } catch (error) {
    if (!(error instanceof FabricError) || error.code !== 'RATE_LIMITED') throw error
    const response = errorJson(c, error)
    response.headers.set('Retry-After', String(error.details?.retryAfterSeconds))
    return response
  }
  await next()
})
