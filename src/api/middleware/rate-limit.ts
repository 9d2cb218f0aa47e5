/**
 * Per-tenant rate limit (after auth): one token per request from the tenant's
 * RateLimiterDO bucket; an empty bucket is a 429 RATE_LIMITED with
 * `Retry-After` in seconds. If the limiter itself is unreachable the request
 * is served and the failure logged — an outage of the limiter must not take
 * the API down with it.
 */
import { createMiddleware } from 'hono/factory'
import { FabricError } from '../../errors'
import { createLogger } from '../../telemetry/logger'
import { metrics } from '../../telemetry/metrics/recorder'
import type { AppEnv } from '../app-env'
import { errorJson } from '../error-handler'
import type { TakeResult } from '../rate-limit/token-bucket'

export const rateLimitMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const { tenantId } = c.get('auth')
  let result: TakeResult
  try {
    result = await c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(tenantId)).take()
  } catch (error) {
    createLogger({ tenantId, requestId: c.get('requestId'), traceId: c.get('trace').traceId }).error('rate limiter unreachable; serving without a limit', { error })
    return next()
  }
  if (!result.allowed) {
    metrics(c.env, c.executionCtx).count('agent_fabric_rate_limited_total', { tenant_id: tenantId })
    const response = errorJson(
      c,
      new FabricError('RATE_LIMITED', `this tenant's request rate limit is reached; retry after ${result.retryAfterSeconds} s`, {
        retryAfterSeconds: result.retryAfterSeconds,
      }),
    )
    response.headers.set('Retry-After', String(result.retryAfterSeconds))
    return response
  }
  await next()
})
