/**
 * Sagas: `POST /v1/sagas {steps: [{command|operation, args, compensate}], …}`
 * runs the steps in order as tasks on an agent; a step that fails for good
 * has the completed steps compensated in reverse order. `GET /v1/sagas/:id`,
 * `POST /v1/sagas/:id/compensate` (undo by hand) and `POST /v1/sagas/:id/retry`
 * (run a paused saga's failed step again). `waitSeconds` holds the answer
 * until the saga stops moving, up to that long.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { SAGA_ID_PATTERN, commandSaga, startSaga, type SagaCommand } from '../../orchestration/saga/saga-client'
import { SagaRequestSchema } from '../../orchestration/saga/saga-model'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { validationHook } from '../openapi'
import { ERROR_RESPONSES, jsonBody, jsonResponse } from '../responses'

const STEP_STATUSES = ['pending', 'running', 'completed', 'failed', 'compensating', 'compensated', 'compensation_failed'] as const

const SagaSchema = z
  .object({
    sagaId: z.string(),
    tenantId: z.string(),
    agentId: z.string(),
    status: z.enum(['running', 'completed', 'compensating', 'compensated', 'failed']),
    onFailure: z.enum(['compensate', 'pause']),
    events: z.number().int(),
    steps: z.array(
      z.object({
        index: z.number().int(),
        name: z.string().optional(),
        status: z.enum(STEP_STATUSES),
        attempts: z.number().int(),
        compensationAttempts: z.number().int(),
        taskId: z.string().optional(),
        executionId: z.string().optional(),
        compensationTaskId: z.string().optional(),
        exitCode: z.number().int().optional(),
        stdout: z.string().optional(),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
    ),
  })
  .openapi('Saga')

const IdParams = z.object({ id: z.string().regex(SAGA_ID_PATTERN, 'saga ids look like sag_<32 hex>').openapi({ param: { name: 'id', in: 'path' } }) })
const WaitQuery = z.object({ waitSeconds: z.coerce.number().min(0).max(60).default(0) })
const WaitBody = z.object({ waitSeconds: z.number().min(0).max(60).default(0) }).strict()

export const sagaRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

sagaRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/sagas',
    security: [{ bearer: [] }],
    middleware: [requireScope('agent')],
    request: jsonBody(SagaRequestSchema),
    responses: {
      201: jsonResponse('Started', z.object({ saga: SagaSchema, deduplicated: z.literal(false) })),
      200: jsonResponse('A saga with this idempotency key already exists; it is returned, not started again', z.object({ saga: SagaSchema, deduplicated: z.literal(true) })),
      ...ERROR_RESPONSES,
    },
  }),
  async (c) => {
    const auth = c.get('auth')
    const started = await startSaga(c.env, { tenantId: auth.tenantId, principal: auth.tokenId, traceparent: c.get('trace').traceparent }, c.req.valid('json'))
    return started.deduplicated ? c.json({ saga: started.saga, deduplicated: true as const }, 200) : c.json({ saga: started.saga, deduplicated: false as const }, 201)
  },
)

sagaRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/sagas/{id}',
    security: [{ bearer: [] }],
    middleware: [requireScope('read')],
    request: { params: IdParams, query: WaitQuery },
    responses: { 200: jsonResponse('The saga and its steps', SagaSchema), ...ERROR_RESPONSES },
  }),
  async (c) => c.json(await commandSaga(c.env, c.get('auth').tenantId, c.req.valid('param').id, 'status', c.req.valid('query').waitSeconds), 200),
)

for (const command of ['compensate', 'retry'] as const satisfies readonly SagaCommand[]) {
  sagaRoutes.openapi(
    createRoute({
      method: 'post',
      path: `/v1/sagas/{id}/${command}`,
      security: [{ bearer: [] }],
      middleware: [requireScope('agent')],
      request: { params: IdParams, body: { required: false, content: { 'application/json': { schema: WaitBody } } } },
      responses: { 200: jsonResponse(command === 'compensate' ? 'Compensation started' : 'The failed step runs again', SagaSchema), ...ERROR_RESPONSES },
    }),
    async (c) => {
      const body = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : { waitSeconds: 0 }
      return c.json(await commandSaga(c.env, c.get('auth').tenantId, c.req.valid('param').id, command, body.waitSeconds), 200)
    },
  )
}
