/**
 * The formal intent of seed 004: `{realm}.{action}` type, mandatory tenant and
 * session, a payload, metadata and a correlation id. Intents say what is
 * being attempted, never how: the capability registry says who may respond.
 */
import { z } from '@hono/zod-openapi'
import type { Intent } from '../../../types/fabric'
import { newId } from '../../core/ids'

const NAME = '[a-z][a-z0-9_]{0,63}'
export const INTENT_TYPE_PATTERN = new RegExp(`^(${NAME})\\.(${NAME})$`)

export const IntentTypeSchema = z
  .string()
  .regex(INTENT_TYPE_PATTERN, 'intent_type must be "{realm}.{action}": two lower-case names (letters, digits, _) joined by one dot, e.g. "content.upload"')
  .openapi({ example: 'content.upload' })

export const IntentRequestSchema = z
  .object({
    intent_type: IntentTypeSchema,
    session_id: z.string().min(1).max(256).openapi({ example: 'sess-42' }),
    payload: z.record(z.string(), z.unknown()).default({}),
    metadata: z.record(z.string().max(64), z.string().max(1024)).default({}),
    correlation_id: z.string().min(1).max(256).optional(),
    agent_id: z.string().min(1).max(128).optional().openapi({ description: 'The agent that runs it; the tenant default agent when absent' }),
    idempotency_key: z.string().min(1).max(256).optional(),
    wait_seconds: z.number().min(0).max(60).default(0).openapi({ description: 'Wait up to this long for the outcome before answering' }),
  })
  .strict()
  .openapi('IntentRequest')

export type IntentRequest = z.infer<typeof IntentRequestSchema>

/** The immutable intent the runtime accepts (ids assigned here, once). */
export function acceptIntent(tenantId: string, request: IntentRequest): Readonly<Intent> {
  const id = newId('int')
  return Object.freeze({
    id,
    type: request.intent_type,
    tenantId,
    sessionId: request.session_id,
    payload: request.payload,
    metadata: request.metadata,
    correlationId: request.correlation_id ?? id,
  })
}
