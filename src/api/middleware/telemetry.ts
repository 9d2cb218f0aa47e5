/**
 * Per-request telemetry: one structured access-log line (redacted, with the
 * trace, request and tenant ids), the HTTP request counter, a server span
 * (exported when an OTLP endpoint is set), and the request held open
 * (`waitUntil`) until this isolate's next metrics flush (at most a second
 * away, shared by every request in that second), so the deltas recorded
 * anywhere during the request reach the metrics objects without delaying it.
 */
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { createLogger, parseLogLevel } from '../../telemetry/logger'
import { hasPendingMetrics, metrics, scheduleMetricsFlush } from '../../telemetry/metrics/recorder'
import { flushSpans, recordSpan } from '../../telemetry/spans'
import type { AppEnv } from '../app-env'

function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`
}

export const telemetryMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const startedAt = performance.now()
  const startMs = Date.now()
  await next()
  const auth = c.get('auth') as AppEnv['Variables']['auth'] | undefined
  const status = c.res.status
  // Unmatched paths share one label value, so a scan of random URLs adds no series.
  const route = c.req.routePath === '/*' || c.req.routePath === '*' ? 'unmatched' : c.req.routePath
  if (auth) {
    metrics(c.env).count('agent_fabric_http_requests_total', {
      tenant_id: auth.tenantId,
      route,
      method: c.req.method,
      status_class: statusClass(status),
    })
  }
  const log = createLogger(
    { traceId: c.get('trace').traceId, requestId: c.get('requestId'), ...(auth ? { tenantId: auth.tenantId } : {}) },
    { level: parseLogLevel(c.env.LOG_LEVEL) },
  )
  const line = { method: c.req.method, path: new URL(c.req.url).pathname, route, status, durationMs: Math.round(performance.now() - startedAt) }
  if (status >= 500) log.error('request', line)
  else log.info('request', line)
  recordSpan(c.env, {
    name: `${c.req.method} ${route}`,
    kind: 'server',
    parent: c.get('trace').traceparent,
    startMs,
    endMs: Date.now(),
    attributes: {
      'http.request.method': c.req.method,
      'http.route': route,
      'http.response.status_code': status,
      ...(auth ? { 'fabric.tenant_id': auth.tenantId } : {}),
    },
    ...(status >= 500 ? { error: `HTTP ${status}` } : {}),
  })
  // A request made without an execution context (`app.request` in a test) cannot schedule work past
  // its response: what it recorded leaves with the next request's flush instead of failing this one.
  const ctx = executionContextOf(c)
  if (!ctx) return
  if (hasPendingMetrics()) scheduleMetricsFlush(c.env, ctx)
  if (c.env.OTEL_EXPORTER_OTLP_ENDPOINT) ctx.waitUntil(flushSpans(c.env))
})

/** Hono's getter throws when the request came without one. */
function executionContextOf(c: Context<AppEnv>): Context<AppEnv>['executionCtx'] | undefined {
  try {
    return c.executionCtx
  } catch {
    return undefined
  }
}
