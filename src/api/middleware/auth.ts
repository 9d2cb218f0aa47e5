/** Bearer-token authentication: every route behind it has a tenant, or a 401. */
import { createMiddleware } from 'hono/factory'
import { FabricError } from '../../errors'
import type { AppEnv, Scope } from '../app-env'
import { resolveToken } from '../auth/tokens'

export const authMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? ''
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match?.[1]) {
    throw new FabricError('UNAUTHORIZED', 'missing bearer token: send "Authorization: Bearer <token>"')
  }
  const auth = await resolveToken(c.env, match[1])
  if (!auth) throw new FabricError('UNAUTHORIZED', 'unknown or revoked token')
  c.set('auth', auth)
  await next()
})

/** Refuses callers whose token lacks the scope (admin implies every scope). */
export function requireScope(scope: Scope) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { scopes } = c.get('auth')
    if (!scopes.includes(scope) && !scopes.includes('admin')) {
      throw new FabricError('FORBIDDEN', `this token lacks the '${scope}' scope`)
    }
    await next()
  })
}
