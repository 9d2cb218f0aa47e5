/**
 * Replay: `POST /v1/executions/:id/replay {mode}` with mode `events_only`
 * (the audit trail), `state_only` (state folded from the WAL) or `full`
 * (state plus a dry, side-effect-free re-execution compared with the record);
 * `POST /v1/sessions/:id/replay {mode}` for every execution of a session.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { capabilityRegistry } from '../../orchestration/intents/capabilities'
import { foldExecution } from '../../orchestration/replay/execution-state'
import { REPLAY_MODES, replayExecution } from '../../orchestration/replay/replay'
import { sessionEvents } from '../../wal/query'
import { flushWalOwners } from '../../orchestration/wal-owners'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { validationHook } from '../openapi'
import { ERROR_RESPONSES, LimitSchema, jsonBody, jsonResponse } from '../responses'
import { WalEventSchema } from './wal'

const Report = z.record(z.string(), z.unknown()).openapi('ReplayReport')

export const executionRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

executionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/executions/{id}/replay',
    security: [{ bearer: [] }],
    middleware: [requireScope('read')],
    request: {
      params: z.object({ id: z.string().min(1).max(128).openapi({ param: { name: 'id', in: 'path' }, example: 'exe_…' }) }),
      ...jsonBody(z.object({ mode: z.enum(REPLAY_MODES) }).strict().openapi('ReplayRequest')),
    },
    responses: { 200: jsonResponse('The replay; nothing was executed for real', Report), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const auth = c.get('auth')
    const report = await replayExecution(c.env, { tenantId: auth.tenantId, principal: auth.tokenId }, capabilityRegistry, c.req.valid('param').id, c.req.valid('json').mode)
    return c.json(report, 200)
  },
)

executionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/sessions/{id}/replay',
    security: [{ bearer: [] }],
    middleware: [requireScope('read')],
    request: {
      params: z.object({ id: z.string().min(1).max(256).openapi({ param: { name: 'id', in: 'path' } }) }),
      query: z.object({ limit: LimitSchema }),
      ...jsonBody(z.object({ mode: z.enum(['events_only', 'state_only']) }).strict()),
    },
    responses: {
      200: jsonResponse(
        'Every execution of the session, in order',
        z.object({ sessionId: z.string(), mode: z.string(), events: z.array(WalEventSchema).optional(), executions: z.array(Report).optional() }),
      ),
      ...ERROR_RESPONSES,
    },
  }),
  async (c) => {
    const sessionId = c.req.valid('param').id
    const { mode } = c.req.valid('json')
    await flushWalOwners(c.env, c.get('auth').tenantId, { sessionId })
    const events = await sessionEvents(c.env.DB, c.get('auth').tenantId, sessionId, c.req.valid('query').limit)
    if (mode === 'events_only') return c.json({ sessionId, mode, events }, 200)
    const byExecution = new Map<string, typeof events>()
    for (const event of events) byExecution.set(event.executionId, [...(byExecution.get(event.executionId) ?? []), event])
    const executions = [...byExecution].map(([id, list]): Record<string, unknown> => ({ ...foldExecution(id, list) }))
    return c.json({ sessionId, mode, executions }, 200)
  },
)
