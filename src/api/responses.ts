/**
 * OpenAPI request and response pieces shared by the routes (policies,
 * approvals, kill switch, WAL, intents, executions, sagas, provenance, …):
 * the error responses, JSON body/response helpers and the paging limit.
 */
import { z } from '@hono/zod-openapi'
import { ErrorSchema } from './openapi'

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

export const LimitSchema = z.coerce.number().int().min(1).max(1000).default(100)
