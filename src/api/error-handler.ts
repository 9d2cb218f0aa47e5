/**
 * Maps everything thrown in a route to `{error: {code, message, details?}}`
 * with the right status. Unknown faults become 500 INTERNAL without leaking
 * their message or stack to the caller.
 */
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { FabricError } from '../../types/errors'
import { isFsError } from '../execution/fsx/errors'
import { createLogger } from '../telemetry/logger'
import { redact } from '../telemetry/redact'
import type { AppEnv } from './app-env'

/** Error bodies are redacted like logs: a message or detail that echoes a secret must not return it. */
export function errorJson(c: Context<AppEnv>, error: FabricError): Response {
  return c.json(redact(error.toJSON()), error.status as ContentfulStatusCode)
}

function fromHttpException(error: HTTPException, c: Context<AppEnv>): FabricError {
  if (error.status === 400 && /json/i.test(error.message)) {
    return new FabricError('INVALID_JSON', 'the request body is not valid JSON; send a JSON object with Content-Type: application/json')
  }
  if (error.status === 415) {
    const sent = c.req.header('content-type')
    return new FabricError('UNSUPPORTED_MEDIA_TYPE', `${c.req.method} ${c.req.path} takes a JSON body: send it with Content-Type: application/json (this request sent ${sent ? `'${sent}'` : 'no Content-Type'})`)
  }
  if (error.status === 413) return new FabricError('PAYLOAD_TOO_LARGE', error.message || 'request body too large')
  if (error.status === 401) return new FabricError('UNAUTHORIZED', error.message || 'authentication required')
  return new FabricError('BAD_REQUEST', error.message || 'bad request', undefined, error.status)
}

export function handleError(thrown: Error, c: Context<AppEnv>): Response {
  if (thrown instanceof FabricError) return errorJson(c, thrown)
  if (isFsError(thrown)) return errorJson(c, new FabricError(thrown.code, thrown.message, { path: thrown.path }))
  if (thrown instanceof HTTPException) return errorJson(c, fromHttpException(thrown, c))
  createLogger({ requestId: c.get('requestId'), traceId: c.get('trace')?.traceId }).error('unhandled error', { error: thrown })
  return errorJson(c, new FabricError('INTERNAL', 'internal error; retry, and report the request id if it persists', { requestId: c.get('requestId') }))
}
