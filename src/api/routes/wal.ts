/**
 * `GET /v1/wal?executionId=&sessionId=&type=&eventType=&since=&until=&after=&limit=`:
 * the tenant's write-ahead log of record, in delivery order, paginated
 * (`nextCursor` → `after`). `type` is the intent type (`realm.action`),
 * `eventType` the WAL event type.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { WAL_EVENT_TYPES } from '../../../types/fabric'
import { queryWal } from '../../wal/query'
import { flushWalOwners } from '../../orchestration/wal-owners'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { validationHook } from '../openapi'
import { ERROR_RESPONSES, LimitSchema, jsonResponse } from '../responses'

export const WalEventSchema = z
  .object({
    executionId: z.string(),
    seq: z.number().int(),
    type: z.string(),
    tenantId: z.string(),
    agentId: z.string().optional(),
    sessionId: z.string().optional(),
    parentExecutionId: z.string().optional(),
    correlationId: z.string().optional(),
    intentType: z.string().optional(),
    traceId: z.string(),
    tier: z.number().int().optional(),
    data: z.record(z.string(), z.unknown()),
    at: z.string(),
  })
  .openapi('WalEvent')

const QuerySchema = z.object({
  executionId: z.string().min(1).max(128).optional(),
  sessionId: z.string().min(1).max(256).optional(),
  type: z.string().min(3).max(256).optional().openapi({ description: 'Intent type, e.g. content.upload' }),
  eventType: z.enum(WAL_EVENT_TYPES).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  after: z.coerce.number().int().min(0).optional(),
  limit: LimitSchema,
})

export const walRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

walRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/wal',
    security: [{ bearer: [] }],
    middleware: [requireScope('read')],
    request: { query: QuerySchema },
    responses: { 200: jsonResponse('A page of WAL events', z.object({ events: z.array(WalEventSchema), nextCursor: z.number().int().optional() })), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const q = c.req.valid('query')
    // Read-your-writes: the agents that may still hold rows of this query deliver them first.
    await flushWalOwners(c.env, c.get('auth').tenantId, { ...(q.executionId ? { executionId: q.executionId } : {}), ...(q.sessionId ? { sessionId: q.sessionId } : {}) })
    const page = await queryWal(c.env.DB, c.get('auth').tenantId, {
      limit: q.limit,
      ...(q.executionId ? { executionId: q.executionId } : {}),
      ...(q.sessionId ? { sessionId: q.sessionId } : {}),
      ...(q.type ? { intentType: q.type } : {}),
      ...(q.eventType ? { eventType: q.eventType } : {}),
      ...(q.since ? { since: new Date(q.since).toISOString() } : {}),
      ...(q.until ? { until: new Date(q.until).toISOString() } : {}),
      ...(q.after !== undefined ? { after: q.after } : {}),
    })
    return c.json(page, 200)
  },
)
