/**
 * The HTTP API: trace → config guard → telemetry → (auth → metered bindings → rate limit) → body limit → routes, with one error mapper.
 * Each area registers its routes in its own module under ./routes.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from './app-env'
import { handleError } from './error-handler'
import { notFoundOrWrongMethod } from './method-not-allowed'
import { authMiddleware, secureConfigMiddleware } from './middleware/auth'
import { billableMiddleware } from './middleware/billable'
import { bodyLimitMiddleware } from './middleware/body-limit'
import { rateLimitMiddleware } from './middleware/rate-limit'
import { telemetryMiddleware } from './middleware/telemetry'
import { traceMiddleware } from './middleware/trace'
import { agentRoutes } from './routes/agents'
import { approvalRoutes } from './routes/approvals'
import { budgetRoutes } from './routes/budgets'
import { killSwitchRoutes } from './routes/killswitch'
import { policyRoutes } from './routes/policies'
import { taskRoutes } from './routes/tasks'
import { walRoutes } from './routes/wal'
import { sagaRoutes } from './routes/sagas'
import { intentRoutes } from './routes/intents'
import { executionRoutes } from './routes/executions'
import { provenanceRoutes } from './routes/provenance'
import { execRoutes } from './routes/exec'
import { fsRoutes } from './routes/fs'
import { healthRoutes } from './routes/health'
import { metricsRoutes } from './routes/metrics'
import { moduleRoutes } from './routes/modules'
import { tenantRoutes } from './routes/tenants'
import { whoamiRoutes } from './routes/whoami'

export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>()
  app.use('*', traceMiddleware, secureConfigMiddleware, telemetryMiddleware)
  app.onError(handleError)
  app.notFound(notFoundOrWrongMethod(app))

  // Public routes.
  app.route('/', healthRoutes)
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' })
  app.doc31('/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: { title: 'edge-fabric', version: c.env.FABRIC_VERSION, description: 'Governed execution fabric for AI agents' },
  }))

  // Everything under /v1 is authenticated.
  app.use('/v1/*', authMiddleware, billableMiddleware, rateLimitMiddleware, bodyLimitMiddleware)
  app.use('/metrics', authMiddleware, rateLimitMiddleware)
  app.route('/', metricsRoutes)
  app.route('/', tenantRoutes)
  app.route('/', whoamiRoutes)
  app.route('/', execRoutes)
  app.route('/', fsRoutes)
  app.route('/', moduleRoutes)
  app.route('/', policyRoutes)
  app.route('/', approvalRoutes)
  app.route('/', killSwitchRoutes)
  app.route('/', walRoutes)
  app.route('/', sagaRoutes)
  app.route('/', intentRoutes)
  app.route('/', executionRoutes)
  app.route('/', provenanceRoutes)
  app.route('/', agentRoutes)
  app.route('/', taskRoutes)
  app.route('/', budgetRoutes)
  return app
}
