/** `POST /v1/exec`: run a command line or an operation through the governed seam. */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import { runExec } from '../../runtime/exec-service'
import { createExecutionContext } from '../../runtime/context'
import type { AppEnv } from '../app-env'
import { ErrorSchema, validationHook } from '../openapi'
import { ExecRequestSchema, ExecResultSchema } from '../schemas/exec'
import { publicResult } from '../public-result'

const route = createRoute({
  method: 'post',
  path: '/v1/exec',
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: ExecRequestSchema } } } },
  responses: {
    200: { description: 'The ExecResult (ok false for a failed command)', content: { 'application/json': { schema: ExecResultSchema } } },
    400: { description: 'Bad input', content: { 'application/json': { schema: ErrorSchema } } },
    401: { description: 'No or bad token', content: { 'application/json': { schema: ErrorSchema } } },
  },
})

export const execRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, async (c) => {
  const request = c.req.valid('json')
  const auth = c.get('auth')
  const ctx = createExecutionContext({
    tenantId: auth.tenantId,
    principal: auth.tokenId,
    trace: c.get('trace'),
    ...(request.agentId ? { agentId: request.agentId } : {}),
  })
  const result = await runExec(ctx, request, c.env)
  return c.json(publicResult(result), 200)
})
