/**
 * Tasks by id (FR-SCHED-4/6): `GET /v1/tasks/:id` (status, attempts,
 * timestamps, result; `?wait=<seconds>` long-polls until it ends) and
 * `DELETE /v1/tasks/:id` (cancel, pending or running). A task id embeds its
 * agent's Durable Object id, so it routes without a lookup; another tenant's
 * task id is a 404.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { taskOwnerStub } from '../../agent/router'
import { unwrap } from '../../agent/rpc-result'
import { resolveTaskOutputs } from '../../agent/output-spill'
import { TaskIdSchema } from '../../agent/task-ids'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { validationHook } from '../openapi'
import { TaskViewSchema, callerOf } from '../schemas/agents'
import { ERROR_RESPONSES, jsonResponse } from '../responses'

const Params = z.object({ id: TaskIdSchema })
const security = [{ bearer: [] }]

export const taskRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

taskRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/tasks/{id}',
    security,
    middleware: [requireScope('read')],
    request: {
      params: Params,
      query: z.object({
        wait: z.coerce.number().min(0).max(60).optional().openapi({ description: 'Seconds to wait for the task to end before answering' }),
      }),
    },
    responses: { 200: jsonResponse('The task', TaskViewSchema), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    const { wait } = c.req.valid('query')
    // A large stdout/stderr lives in R2 (src/agent/output-spill.ts); the answer carries it whole, redacted like the rest.
    return c.json(await resolveTaskOutputs(c.env.FILES, unwrap(await taskOwnerStub(c.env, id).getTask(callerOf(c), id, wait))), 200)
  },
)

taskRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/tasks/{id}',
    security,
    middleware: [requireScope('agent')],
    request: { params: Params },
    responses: { 200: jsonResponse('The cancelled task', TaskViewSchema), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    return c.json(unwrap(await taskOwnerStub(c.env, id).cancelTask(callerOf(c), id)), 200)
  },
)
