/**
 * After authentication, the request's bindings are swapped for metered ones
 * (src/telemetry/billable.ts), so every billable unit the request spends —
 * Durable Object requests, D1 rows, Worker Loader isolates, service-binding
 * calls — is counted for the caller's tenant. The telemetry middleware's
 * end-of-request flush delivers the counts.
 */
import { createMiddleware } from 'hono/factory'
import { meterBindings } from '../../telemetry/billable'
import { metrics } from '../../telemetry/metrics/recorder'
import type { AppEnv } from '../app-env'

export const billableMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  c.env = meterBindings(c.env, c.get('auth').tenantId, metrics(c.env))
  await next()
})
