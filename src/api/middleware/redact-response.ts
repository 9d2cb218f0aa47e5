/**
 * The one redaction rule for what the API returns (issue 16): every JSON body
 * and the `/metrics` text pass through `redact` on the way out, so stored task
 * requests, metadata, idempotency keys, results, replay reports, saga errors,
 * token labels, policy patterns, kill-switch reasons and metric labels come
 * back redacted whatever route reads them. The fabric stores what it was given
 * (a queued task still needs its real `env` and `stdin` to run) and redacts on
 * every read: one place, not one per route.
 *
 * Not redacted: the routes that issue a token (its value is shown once, by
 * design) and raw file bytes from `GET /v1/fs` (a tenant's files are its data).
 *
 * A body a route writes with `c.json` is redacted as it is written (stringifyRedacted: the same text),
 * so it is not read back, parsed and rebuilt afterwards — about half a millisecond of an exec's CPU; any
 * other JSON body (one written as text, or a proxied response) still takes the second pass.
 */
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppEnv } from '../app-env'
import { redact, redactText, stringifyRedacted } from '../../telemetry/redact'

/** POST /v1/tenants, POST /v1/tenants/:id/tokens and …/tokens/:id/rotate answer a new token's value. */
const ISSUES_TOKEN = /^\/v1\/tenants(?:\/[^/]+\/tokens(?:\/[^/]+\/rotate)?)?$/

function rebuilt(original: Response, body: string): Response {
  const headers = new Headers(original.headers)
  headers.delete('content-length')
  return new Response(body, { status: original.status, statusText: original.statusText, headers })
}

/** Responses written redacted as they were written (redactingJson): the pass after `next()` leaves them alone. */
const redactedAsWritten = new WeakSet<Response>()

/**
 * `c.json` as Hono writes it (status and headers as given, `Content-Type: application/json` unless set),
 * with the text from stringifyRedacted. The assertion only restores the typed-response brand Hono's own
 * `c.json` carries (routes infer their response types, and the client its types, from it).
 */
function redactingJson(c: Context<AppEnv>): Context<AppEnv>['json'] {
  // Hono passes status and headers through to the same response constructor `c.body` uses; the fabric's routes pass a status.
  const json = (object: unknown, status?: ContentfulStatusCode, headers?: Record<string, string>): Response => {
    const response = c.body(stringifyRedacted(object), status, { 'Content-Type': 'application/json', ...headers })
    redactedAsWritten.add(response)
    return response
  }
  return json as Context<AppEnv>['json']
}

export const redactResponseMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === 'POST' && ISSUES_TOKEN.test(c.req.path)) return next()
  c.json = redactingJson(c)
  await next()
  if (redactedAsWritten.has(c.res)) return
  const type = c.res.headers.get('content-type') ?? ''
  let body: string
  // The original body is read, not a clone of it: the response is replaced either way, and a clone tees the stream.
  if (type.startsWith('application/json')) body = JSON.stringify(redact(JSON.parse(await c.res.text())))
  else if (c.req.path === '/metrics' && type.startsWith('text/plain')) body = redactText(await c.res.text())
  else return
  const replaced = rebuilt(c.res, body)
  // Unset first: Hono's setter would otherwise copy the old headers (content-length among them) onto the new response.
  c.res = undefined
  c.res = replaced
})
