/**
 * One request's token from its tenant's bucket, for HTTP and RPC alike. If the
 * limiter itself is unreachable the request is served and the failure logged —
 * an outage of the limiter must not take the API down with it.
 */
import type { Env } from '../../env'
import { FabricError } from '../../../types/errors'
import { createLogger, type LogContext } from '../../telemetry/logger'
import { metrics } from '../../telemetry/metrics/recorder'
import type { TakeResult } from './token-bucket'

/** Throws RATE_LIMITED (with `retryAfterSeconds`) when the tenant's bucket is empty. */
export async function takeRequestToken(env: Env, tenantId: string, log: LogContext = {}): Promise<void> {
  let result: TakeResult
  try {
    result = await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(tenantId)).take()
  } catch (error) {
    createLogger({ ...log, tenantId }).error('rate limiter unreachable; serving without a limit', { error })
    return
  }
  if (result.allowed) return
  metrics(env).count('agent_fabric_rate_limited_total', { tenant_id: tenantId })
  throw new FabricError('RATE_LIMITED', `this tenant's request rate limit is reached; retry after ${result.retryAfterSeconds} s`, {
    retryAfterSeconds: result.retryAfterSeconds,
  })
}
