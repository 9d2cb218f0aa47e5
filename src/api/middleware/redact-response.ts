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
 */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../app-env'
import { redact, redactText } from '../../telemetry/redact'

/** POST /v1/tenants, POST /v1/tenants/:id/tokens and …/tokens/:id/rotate answer a new token's value. */
const ISSUES_TOKEN = /^\/v1\/tenants(?:\/[^/]+\/tokens(?:\/[^/]+\/rotate)?)?$/

function rebuilt(original: Response, body: string): Response {
  const headers = new Headers(original.headers)
  headers.delete('content-length')
  return new Response(body, { status: original.status, statusText: original.statusText, headers })
}

export const redactResponseMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  await next()
  if (c.req.method === 'POST' && ISSUES_TOKEN.test(c.req.path)) return
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
