/**
 * `GET /metrics`: Prometheus text. Needs the `read` scope. A tenant's token
 * sees that tenant's series only; an operator token sees every tenant's (or
 * one, with `?tenant_id=`). The scraping isolate first flushes its own
 * pending deltas, so a scrape right after a request already counts it.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { FabricError } from '../../../types/errors'
import { flushMetrics } from '../../telemetry/metrics/recorder'
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus, type TenantSeries } from '../../telemetry/metrics/prometheus'
import type { AppEnv } from '../app-env'
import { listTenants } from '../auth/tenant-store'
import { isOperator, operatorTenant } from '../auth/tokens'
import { requireScope } from '../middleware/auth'
import { ErrorSchema, validationHook } from '../openapi'
import type { Env } from '../../env'

const route = createRoute({
  method: 'get',
  path: '/metrics',
  security: [{ bearer: [] }],
  middleware: [requireScope('read')] as const,
  request: {
    query: z.object({
      tenant_id: z.string().min(1).max(128).optional().openapi({ description: 'Operators only: one tenant instead of all' }),
    }),
  },
  responses: {
    200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: z.string() } } },
    401: { description: 'No or bad token', content: { 'application/json': { schema: ErrorSchema } } },
    403: { description: 'Token lacks the read scope', content: { 'application/json': { schema: ErrorSchema } } },
  },
})

async function tenantsInView(env: Env, auth: AppEnv['Variables']['auth'], only: string | undefined): Promise<string[]> {
  if (!isOperator(env, auth)) {
    // A tenant asking for another tenant's series gets the same answer as for a tenant that does not exist.
    if (only !== undefined && only !== auth.tenantId) throw new FabricError('NOT_FOUND', `no tenant '${only}' visible to this token`)
    return [auth.tenantId]
  }
  if (only !== undefined) return [only]
  const ids = new Set([operatorTenant(env), ...(await listTenants(env.DB)).map((t) => t.id)])
  return [...ids].sort()
}

export const metricsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, async (c) => {
  const { tenant_id: only } = c.req.valid('query')
  await flushMetrics(c.env)
  const tenants = await tenantsInView(c.env, c.get('auth'), only)
  const views: TenantSeries[] = await Promise.all(
    tenants.map(async (tenantId) => ({ tenantId, series: await c.env.METRICS.get(c.env.METRICS.idFromName(tenantId)).snapshot() })),
  )
  return c.text(renderPrometheus(views), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE })
})
