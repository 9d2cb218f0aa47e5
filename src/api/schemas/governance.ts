/**
 * Request and response pieces shared by the governance and runtime routes
 * (policies, approvals, kill switch, WAL, intents, executions, sagas,
 * provenance): the OpenAPI error responses, JSON body/response helpers, and
 * the admin-audit call every state change makes.
 */
import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { auditAdminAction, type AdminAction } from '../../telemetry/admin-audit'
import type { AppEnv } from '../app-env'
import { ErrorSchema } from '../openapi'

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } })

export const ERROR_RESPONSES = {
  400: errorResponse('Bad input'),
  401: errorResponse('No or bad token'),
  403: errorResponse('Token lacks the scope, or refused by policy or kill switch'),
  404: errorResponse('Not found in this tenant'),
  409: errorResponse('Conflicts with the current state'),
} as const

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { 'application/json': { schema } } } }
}

export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } }
}

/** Records an administrative change as an `admin.action` WAL event, attributed to the caller's token. */
export async function auditChange(c: Context<AppEnv>, entry: Omit<AdminAction, 'actor' | 'traceId' | 'requestId' | 'tenantId'> & { tenantId?: string }): Promise<void> {
  const auth = c.get('auth')
  await auditAdminAction(c.env.DB, {
    ...entry,
    tenantId: entry.tenantId ?? auth.tenantId,
    actor: { tenantId: auth.tenantId, tokenId: auth.tokenId },
    traceId: c.get('trace').traceId,
    requestId: c.get('requestId'),
  })
}

export const LimitSchema = z.coerce.number().int().min(1).max(1000).default(100)
