/**
 * `POST /v1/intents {intent_type "realm.action", session_id, payload, …}`:
 * an intent, validated and resolved to the capability that may respond, runs
 * as a task on an agent (the tenant default agent unless `agent_id` names
 * one). `GET /v1/capabilities` lists the intent types that can be served.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { capabilityRegistry as registry } from '../../orchestration/intents/capabilities'
import { IntentRequestSchema } from '../../orchestration/intents/intent'
import { submitIntent } from '../../orchestration/intents/intent-service'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { validationHook } from '../openapi'
import { ERROR_RESPONSES, jsonBody, jsonResponse } from '../responses'

const ReceiptSchema = z
  .object({
    intentId: z.string(),
    intentType: z.string(),
    agentId: z.string(),
    taskId: z.string(),
    executionId: z.string(),
    status: z.string(),
    deduplicated: z.boolean(),
    result: z.record(z.string(), z.unknown()).optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    trace: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).openapi({ description: 'exec.* trace keys (seed 003)' }),
  })
  .openapi('IntentReceipt')

export const intentRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

intentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/intents',
    security: [{ bearer: [] }],
    middleware: [requireScope('agent')],
    request: jsonBody(IntentRequestSchema),
    responses: {
      202: jsonResponse('Accepted: durable in the WAL and queued; `status` says how far it got within wait_seconds', ReceiptSchema),
      200: jsonResponse('An intent with this idempotency key already ran or runs; it is returned, not run again', ReceiptSchema),
      ...ERROR_RESPONSES,
    },
  }),
  async (c) => {
    const auth = c.get('auth')
    const receipt = await submitIntent(c.env, registry, { tenantId: auth.tenantId, principal: auth.tokenId, traceparent: c.get('trace').traceparent }, c.req.valid('json'))
    return c.json(receipt, receipt.deduplicated ? 200 : 202)
  },
)

intentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/capabilities',
    security: [{ bearer: [] }],
    middleware: [requireScope('read')],
    responses: { 200: jsonResponse('Intent types and their contracts', z.object({ capabilities: z.array(z.record(z.string(), z.unknown())) })), ...ERROR_RESPONSES },
  }),
  (c) => c.json({ capabilities: registry.list() }, 200),
)
