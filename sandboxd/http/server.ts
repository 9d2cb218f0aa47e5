/**
 * The HTTP server: authenticate, match a route, validate the path's tenant and
 * sandbox names, run the handler and map every failure to a JSON error. One
 * structured log line per request (never a header value, body or secret).
 */
import { createServer, type Server } from 'node:http'
import { NameSchema } from '../protocol.ts'
import { FabricError } from '../../types/errors.ts'
import type { Logger } from '../logger.ts'
import { parseWith, sendError } from './io.ts'
import { ROUTES, type RouteDeps } from './routes.ts'

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/

/** A tenant or sandbox segment of the path, decoded and validated ('' where the route has none). */
function pathName(segment: string): string {
  if (segment === '') return ''
  let decoded: string
  try {
    decoded = decodeURIComponent(segment)
  } catch {
    throw new FabricError('INVALID_ARGUMENT', `'${segment}' is not a valid percent-encoded name`)
  }
  return parseWith(NameSchema, decoded)
}

export function createSandboxdServer(deps: RouteDeps, authenticate: (header: string | undefined) => boolean, log: Logger): Server {
  return createServer(async (req, res) => {
    const startedAt = performance.now()
    const url = new URL(req.url ?? '/', 'http://sandboxd')
    const header = req.headers.traceparent
    const traceparent = typeof header === 'string' && TRACEPARENT.test(header) ? header : undefined
    if (traceparent) res.setHeader('traceparent', traceparent)
    res.on('finish', () =>
      log.info('request', {
        method: req.method,
        path: url.pathname,
        status: res.statusCode,
        ms: Math.round(performance.now() - startedAt),
        ...(traceparent ? { traceparent } : {}),
      }),
    )
    try {
      if (!authenticate(req.headers.authorization)) {
        throw new FabricError('UNAUTHORIZED', 'missing or wrong bearer token: send Authorization: Bearer <SANDBOXD_SECRET>')
      }
      const path = url.pathname
      const candidates = ROUTES.filter((route) => route.pattern.test(path))
      const route = candidates.find((candidate) => candidate.method === req.method)
      if (!route) {
        throw candidates.length > 0
          ? new FabricError('INVALID_ARGUMENT', `${req.method} is not supported on ${path}`)
          : new FabricError('NOT_FOUND', `no route ${path}; see sandboxd/http/routes.ts for the API`)
      }
      const [, tenant = '', sandbox = ''] = route.pattern.exec(path) ?? []
      await route.handler({ req, res, url, tenant: pathName(tenant), sandbox: pathName(sandbox) }, deps)
    } catch (error) {
      const failure = error instanceof FabricError ? error : new FabricError('SANDBOX_ERROR', `sandboxd failed: ${(error as Error).message}`)
      if (failure.status >= 500) log.error('request failed', { path: url.pathname, code: failure.code, message: failure.message })
      sendError(res, failure)
    }
  })
}
