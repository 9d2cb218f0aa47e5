/**
 * Agents (FR-LIFE-*): spawn, list, describe, terminate (graceful with a
 * drain), suspend/resume, heartbeat, model usage, the WebSocket status stream
 * and the agent's task queue. Each call goes to the agent's Durable Object,
 * named `${tenantId}:${agentId}`, so another tenant's agent id is a 404.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { AGENT_STATES } from '../../../types/fabric'
import { AgentIdSchema, SpawnRequestSchema } from '../../agent/config'
import { TaskListQuerySchema, UsageInputSchema } from '../../agent/agent-calls'
import { listDirectory } from '../../agent/directory'
import { agentStub, type AgentStub } from '../../agent/router'
import { unwrap } from '../../agent/rpc-result'
import { TaskInputSchema } from '../../agent/task-input'
import type { TaskView } from '../../agent/task-record'
import { FabricError } from '../../../types/errors'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { validationHook } from '../openapi'
import {
  AgentInfoSchema,
  DirectoryEntrySchema,
  HealthSchema,
  QUEUE_ERROR_RESPONSES,
  TaskHandleSchema,
  TaskViewSchema,
  UsageReportSchema,
  callerOf,
} from '../schemas/agents'
import { ERROR_RESPONSES, jsonBody, jsonResponse } from '../responses'

const IdParams = z.object({ id: AgentIdSchema })
const security = [{ bearer: [] }]

const TerminateQuery = z.object({
  graceful: z.enum(['true', 'false', '1', '0']).default('true'),
  drainTimeout: z.coerce.number().min(0).max(3600).default(30).openapi({ description: 'Seconds to let queued and running tasks finish' }),
  outcome: z.enum(['TERMINATED', 'COMPLETED']).default('TERMINATED'),
})

const ListQuery = z.object({
  state: z.enum(AGENT_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: AgentIdSchema.optional(),
})

/** The caller's agent `id`: its tenant is part of the object's name, so another tenant's id reaches an empty object (404). */
function agentOf(c: Context<AppEnv>, id: string): AgentStub {
  return agentStub(c.env, c.get('auth').tenantId, id)
}

const agentResponse = (description: string) => ({ 200: jsonResponse(description, AgentInfoSchema), ...ERROR_RESPONSES })

export const agentRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

agentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/agents',
    security,
    middleware: [requireScope('agent')],
    request: jsonBody(SpawnRequestSchema),
    responses: { 201: jsonResponse('The spawned agent', AgentInfoSchema), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const body = c.req.valid('json')
    const info = unwrap(await agentOf(c, body.id).spawn(callerOf(c), body))
    return c.json(info, 201)
  },
)

agentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/agents',
    security,
    middleware: [requireScope('read')],
    request: { query: ListQuery },
    responses: { 200: jsonResponse('The tenant\'s agents, by id', z.object({ agents: z.array(DirectoryEntrySchema) })), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const query = c.req.valid('query')
    const agents = await listDirectory(c.env.DB, c.get('auth').tenantId, {
      limit: query.limit,
      ...(query.state ? { state: query.state } : {}),
      ...(query.after ? { after: query.after } : {}),
    })
    return c.json({ agents }, 200)
  },
)

agentRoutes.openapi(
  createRoute({ method: 'get', path: '/v1/agents/{id}', security, middleware: [requireScope('read')], request: { params: IdParams }, responses: agentResponse('The agent, its health and queue') }),
  async (c) => {
    const { id } = c.req.valid('param')
    return c.json(unwrap(await agentOf(c, id).describe(callerOf(c))), 200)
  },
)

agentRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/agents/{id}',
    security,
    middleware: [requireScope('agent')],
    request: { params: IdParams, query: TerminateQuery },
    responses: agentResponse('The agent: ended, or draining until its queue is empty or the drain timeout passes'),
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    const query = c.req.valid('query')
    const options = { graceful: query.graceful === 'true' || query.graceful === '1', drainTimeoutSeconds: query.drainTimeout, outcome: query.outcome }
    return c.json(unwrap(await agentOf(c, id).terminate(callerOf(c), options)), 200)
  },
)

for (const action of ['suspend', 'resume'] as const) {
  agentRoutes.openapi(
    createRoute({
      method: 'post',
      path: `/v1/agents/{id}/${action}`,
      security,
      middleware: [requireScope('agent')],
      request: { params: IdParams },
      responses: agentResponse(action === 'suspend' ? 'Suspended: queued tasks wait, running ones finish' : 'Running again: the queue dispatches'),
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const stub = agentOf(c, id)
      const result = action === 'suspend' ? await stub.suspend(callerOf(c)) : await stub.resume(callerOf(c))
      return c.json(unwrap(result), 200)
    },
  )
}

agentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/agents/{id}/heartbeat',
    security,
    middleware: [requireScope('agent')],
    request: { params: IdParams },
    responses: { 200: jsonResponse('The agent\'s health after this heartbeat', HealthSchema), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    return c.json(unwrap(await agentOf(c, id).heartbeat(callerOf(c))), 200)
  },
)

agentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/agents/{id}/usage',
    security,
    middleware: [requireScope('agent')],
    request: { params: IdParams, ...jsonBody(UsageInputSchema) },
    responses: { 200: jsonResponse('The agent\'s usage report after this usage', UsageReportSchema), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    return c.json(unwrap(await agentOf(c, id).recordUsage(callerOf(c), c.req.valid('json'))), 200)
  },
)

agentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/agents/{id}/tasks',
    security,
    middleware: [requireScope('agent')],
    request: { params: IdParams, ...jsonBody(TaskInputSchema) },
    responses: {
      201: jsonResponse('Queued (pending, blocked on dependencies, or awaiting an approval)', TaskHandleSchema),
      200: jsonResponse('An earlier task with the same idempotency key', TaskHandleSchema),
      ...ERROR_RESPONSES,
      ...QUEUE_ERROR_RESPONSES,
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    const handle = unwrap(await agentOf(c, id).submitTask(callerOf(c), c.req.valid('json')))
    return c.json(handle, handle.deduplicated ? 200 : 201)
  },
)

agentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/agents/{id}/tasks',
    security,
    middleware: [requireScope('read')],
    request: { params: IdParams, query: TaskListQuerySchema },
    responses: { 200: jsonResponse('The agent\'s tasks, newest first', z.object({ tasks: z.array(TaskViewSchema) })), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    const tasks: TaskView[] = unwrap(await agentOf(c, id).listTasks(callerOf(c), c.req.valid('query')))
    return c.json({ tasks }, 200)
  },
)

// The status stream: a WebSocket upgrade, so a plain route (OpenAPI cannot describe it).
agentRoutes.get('/v1/agents/:id/stream', requireScope('read'), async (c) => {
  const id = AgentIdSchema.safeParse(c.req.param('id'))
  if (!id.success) throw new FabricError('VALIDATION_ERROR', 'bad agent id')
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new FabricError('BAD_REQUEST', 'this is a WebSocket endpoint: connect with "Upgrade: websocket"', undefined, 426)
  }
  const since = c.req.query('since')
  if (since !== undefined && !/^\d+$/.test(since)) throw new FabricError('VALIDATION_ERROR', 'since must be a sequence number (0 for everything kept)')
  const url = new URL('https://agent/stream')
  if (since !== undefined) url.searchParams.set('since', since)
  const headers = new Headers({ upgrade: 'websocket', 'x-fabric-tenant': c.get('auth').tenantId })
  return agentOf(c, id.data).fetch(url.toString(), { headers })
})
