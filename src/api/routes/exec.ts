/**
 * `POST /v1/exec`: run a command line or an operation, synchronously, as a task
 * on the caller's agent (`agentId`, or the tenant's `default` agent): kill
 * switch, policy, budget, write-ahead and accounting all apply.
 * `POST /v1/exec/plan`: the same body, answered with its route plan (which
 * tier each stage would run on, why, and the estimated cost) — nothing runs.
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import { execOnAgent } from '../../agent/exec-on-agent'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { ErrorSchema, validationHook } from '../openapi'
import { ExecRequestSchema, ExecResultSchema } from '../../core/exec-request'
import { publicResult } from '../public-result'
import { callerOf } from '../schemas/agents'
import { planExec } from '../../execution/route-plan/index'
import { RoutePlanSchema } from '../schemas/route-plan'

const failure = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } })

/** Both routes take an exec request from a caller with the agent scope. */
const execInput = {
  method: 'post' as const,
  security: [{ bearer: [] }],
  middleware: [requireScope('agent')],
  request: { body: { required: true, content: { 'application/json': { schema: ExecRequestSchema } } } },
}

const route = createRoute({
  ...execInput,
  path: '/v1/exec',
  responses: {
    200: { description: 'The ExecResult (ok false for a failed command)', content: { 'application/json': { schema: ExecResultSchema } } },
    400: failure('Bad input'),
    401: failure('No or bad token'),
    403: failure('Refused by policy or the kill switch, or the token lacks the agent scope'),
    404: failure('No such agent'),
    429: failure('Queue full or budget exhausted'),
  },
})

const planRoute = createRoute({
  ...execInput,
  path: '/v1/exec/plan',
  responses: {
    200: { description: 'How the call would be routed, why, and its estimated cost per tier; nothing ran', content: { 'application/json': { schema: RoutePlanSchema } } },
    400: failure('Bad input or a command line that does not parse (PARSE_ERROR)'),
    401: failure('No or bad token'),
    403: failure('The token lacks the agent scope'),
  },
})

export const execRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(route, async (c) => {
    const result = await execOnAgent(c.env, callerOf(c), c.req.valid('json'), (work) => c.executionCtx.waitUntil(work))
    return c.json(publicResult(result), 200)
  })
  .openapi(planRoute, async (c) => c.json(await planExec(c.env, callerOf(c).tenantId, c.req.valid('json')), 200))
