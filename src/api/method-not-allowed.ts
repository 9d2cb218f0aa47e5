/**
 * A request no route answers: 405 METHOD_NOT_ALLOWED with an `Allow` header when
 * the path is a known route under another method (`DELETE /v1/exec`), else 404.
 * The table is read from the app's own registered routes, so a new route needs
 * nothing here.
 */
import type { Context } from 'hono'
import { FabricError } from '../../types/errors'
import type { AppEnv } from './app-env'
import { errorJson } from './error-handler'

interface RegisteredRoute {
  method: string
  path: string
}

interface MethodTable {
  pattern: RegExp
  methods: Set<string>
}

/** Hono's path syntax as a whole-path regex: `:name` (optionally `:name{regex}`) is one segment, `*` anything. */
function pathPattern(path: string): RegExp {
  const source = path
    .split(/(:[A-Za-z0-9_]+(?:\{[^}]*\})?|\*)/)
    .map((part) => {
      if (part === '*') return '.*'
      if (part.startsWith(':')) return '[^/]+'
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('')
  return new RegExp(`^${source}/?$`)
}

function methodTables(routes: readonly RegisteredRoute[]): MethodTable[] {
  const byPath = new Map<string, Set<string>>()
  // 'ALL' entries are middleware (`app.use`), not routes.
  for (const { method, path } of routes) {
    if (method === 'ALL') continue
    const methods = byPath.get(path) ?? new Set<string>()
    methods.add(method)
    if (method === 'GET') methods.add('HEAD')
    byPath.set(path, methods)
  }
  return [...byPath].map(([path, methods]) => ({ pattern: pathPattern(path), methods }))
}

/** The not-found handler for `app`; its routes are read on first use, after every module registered its own. */
export function notFoundOrWrongMethod(app: { routes: readonly RegisteredRoute[] }): (c: Context<AppEnv>) => Response {
  let tables: MethodTable[] | undefined
  return (c) => {
    tables ??= methodTables(app.routes)
    const path = new URL(c.req.url).pathname
    const allowed = new Set<string>()
    for (const table of tables) if (table.pattern.test(path)) for (const method of table.methods) allowed.add(method)
    if (allowed.size === 0) {
      return errorJson(c, new FabricError('NOT_FOUND', `no route for ${c.req.method} ${path}; see /openapi.json`))
    }
    const allow = [...allowed].sort().join(', ')
    c.header('Allow', allow)
    return errorJson(c, new FabricError('METHOD_NOT_ALLOWED', `${path} does not take ${c.req.method}; use ${allow}`, { allow: [...allowed].sort() }))
  }
}
