/** Bearer-token authentication: every route behind it has a tenant, or a 401. */
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { FabricError } from '../../../types/errors'
import type { AppEnv, Scope } from '../app-env'
import { assertSecureConfig } from '../auth/config-guard'
import { assertScope } from '../auth/scopes'
import { isOperator, resolveToken } from '../auth/tokens'

function presentedToken(c: Context<AppEnv>): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')
  if (match?.[1]) return match[1]
  // Browsers cannot set headers on a WebSocket handshake, so upgrades (the agent status stream) may send ?token=.
  if (c.req.header('upgrade')?.toLowerCase() === 'websocket') return c.req.query('token') || undefined
  return undefined
}

export const authMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const token = presentedToken(c)
  if (!token) {
    throw new FabricError('UNAUTHORIZED', 'missing bearer token: send "Authorization: Bearer <token>"')
  }
  const auth = await resolveToken(c.env, token)
  if (!auth) throw new FabricError('UNAUTHORIZED', 'unknown or revoked token')
  c.set('auth', auth)
  await next()
})

/** Refuses callers whose token lacks the scope (admin implies every scope). */
export function requireScope(scope: Scope) {
  return createMiddleware<AppEnv>(async (c, next) => {
    assertScope(c.get('auth'), scope)
    await next()
  })
}

/** Refuses everyone but operators: admin tokens of the operator tenant (FABRIC_OPERATOR_TENANT, default `dev`). */
export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
  if (!isOperator(c.env, c.get('auth'))) {
    throw new FabricError('FORBIDDEN', 'only an operator (an admin token of the operator tenant) may do this')
  }
  await next()
})

/** First middleware of the app: an unsafe deployment serves nothing (see auth/config-guard.ts). */
export const secureConfigMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  assertSecureConfig(c.env)
  await next()
})
