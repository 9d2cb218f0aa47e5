/**
 * `POST /v1/exec`: run a command line or an operation, synchronously, as a task
 * on the caller's agent (`agentId`, or the tenant's `default` agent): kill
 * switch, policy, budget, write-ahead and accounting all apply.
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import { execOnAgent } from '../../agent/exec-on-agent'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { ErrorSchema, validationHook } from '../openapi'
import { ExecRequestSchema, ExecResultSchema } from '../../core/exec-request'
import { publicResult } from '../public-result'
import { callerOf } from '../schemas/agents'

const route = createRoute({
  method: 'post',
  path: '/v1/exec',
  security: [{ bearer: [] }],
  middleware: [requireScope('agent')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: ExecRequestSchema } } } },
  responses: {
    200: { description: 'The ExecResult (ok false for a failed command)', content: { 'application/json': { schema: ExecResultSchema } } },
    400: { description: 'Bad input', content: { 'application/json': { schema: ErrorSchema } } },
    401: { description: 'No or bad token', content: { 'application/json': { schema: ErrorSchema } } },
    403: { description: 'Refused by policy or the kill switch, or the token lacks the agent scope', content: { 'application/json': { schema: ErrorSchema } } },
    404: { description: 'No such agent', content: { 'application/json': { schema: ErrorSchema } } },
    429: { description: 'Queue full or budget exhausted', content: { 'application/json': { schema: ErrorSchema } } },
  },
})

export const execRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, async (c) => {
  const result = await execOnAgent(c.env, callerOf(c), c.req.valid('json'))
  return c.json(publicResult(result), 200)
})
