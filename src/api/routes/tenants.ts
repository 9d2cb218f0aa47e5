/**
 * `/v1/tenants`: tenants and their tokens.
 *
 * Who may do what:
 * - operators (admin tokens of the operator tenant) create tenants, set their
 *   rate limits, and manage any tenant's tokens;
 * - a tenant's admin token manages its own tenant's tokens, and may issue
 *   tokens with at most its own scopes;
 * - a tenant id the caller may not see answers 404, exactly as an unknown one.
 * Every change is audited as an `admin.action` WAL event.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { FabricError } from '../../../types/errors'
import { newId } from '../../core/ids'
import type { AppEnv, AuthContext, Scope } from '../app-env'
import { createTenant, getTenant, getToken, issueToken, listTenants, listTokens, revokeToken, rotateToken } from '../auth/tenant-store'
import { isOperator, operatorTenant } from '../auth/tokens'
import { requireOperator, requireScope } from '../middleware/auth'
import { validationHook } from '../openapi'
import { auditChange } from '../audit-change'
import { ERROR_RESPONSES, jsonBody, jsonResponse } from '../responses'
import {
  CreateTenantSchema,
  IssueTokenSchema,
  IssuedTokenSchema,
  RateLimitSchema,
  TenantPathSchema,
  TenantSchema,
  TokenInfoSchema,
  TokenPathSchema,
} from '../schemas/tenants'
import type { Env } from '../../env'

/** The caller may see this tenant: it is its own, or the caller is an operator. Otherwise 404, never 403. */
function assertVisible(env: Env, auth: AuthContext, tenantId: string): void {
  if (auth.tenantId !== tenantId && !isOperator(env, auth)) throw new FabricError('NOT_FOUND', `no tenant '${tenantId}'`)
}

/** Token management needs admin of the tenant (or an operator), after the visibility check. */
function assertTenantAdmin(env: Env, auth: AuthContext, tenantId: string): void {
  assertVisible(env, auth, tenantId)
  if (!auth.scopes.includes('admin')) throw new FabricError('FORBIDDEN', "managing tokens needs the 'admin' scope")
}

/** A tenant admin may hand out its own scopes, not more; an operator may hand out any. */
function assertGrantable(env: Env, auth: AuthContext, scopes: readonly Scope[]): void {
  if (isOperator(env, auth)) return
  const missing = scopes.filter((s) => !auth.scopes.includes(s))
  if (missing.length > 0) throw new FabricError('FORBIDDEN', `a token cannot grant scopes it lacks: ${missing.join(', ')}`)
}

function limiter(env: Env, tenantId: string) {
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(tenantId))
}

const createTenantRoute = createRoute({
  method: 'post',
  path: '/v1/tenants',
  security: [{ bearer: [] }],
  middleware: [requireOperator] as const,
  request: jsonBody(CreateTenantSchema),
  responses: {
    201: jsonResponse('The tenant and its first token (the value is shown only here)', z.object({ tenant: TenantSchema, token: IssuedTokenSchema, rateLimit: RateLimitSchema })),
    ...ERROR_RESPONSES,
  },
})

const listTenantsRoute = createRoute({
  method: 'get',
  path: '/v1/tenants',
  security: [{ bearer: [] }],
  middleware: [requireScope('read')] as const,
  responses: { 200: jsonResponse('Every tenant for an operator; the caller’s own otherwise', z.object({ tenants: z.array(TenantSchema) })), ...ERROR_RESPONSES },
})

const getTenantRoute = createRoute({
  method: 'get',
  path: '/v1/tenants/{tenantId}',
  security: [{ bearer: [] }],
  middleware: [requireScope('read')] as const,
  request: { params: TenantPathSchema },
  responses: { 200: jsonResponse('The tenant and its rate limit', z.object({ tenant: TenantSchema, rateLimit: RateLimitSchema })), ...ERROR_RESPONSES },
})

const putRateLimitRoute = createRoute({
  method: 'put',
  path: '/v1/tenants/{tenantId}/rate-limit',
  security: [{ bearer: [] }],
  middleware: [requireOperator] as const,
  request: { params: TenantPathSchema, ...jsonBody(RateLimitSchema) },
  responses: { 200: jsonResponse('The new limit, in force at once', RateLimitSchema), ...ERROR_RESPONSES },
})

const listTokensRoute = createRoute({
  method: 'get',
  path: '/v1/tenants/{tenantId}/tokens',
  security: [{ bearer: [] }],
  request: { params: TenantPathSchema },
  responses: { 200: jsonResponse('Tokens by id: never their values', z.object({ tokens: z.array(TokenInfoSchema) })), ...ERROR_RESPONSES },
})

const issueTokenRoute = createRoute({
  method: 'post',
  path: '/v1/tenants/{tenantId}/tokens',
  security: [{ bearer: [] }],
  request: { params: TenantPathSchema, ...jsonBody(IssueTokenSchema) },
  responses: { 201: jsonResponse('The new token (the value is shown only here)', IssuedTokenSchema), ...ERROR_RESPONSES },
})

const rotateTokenRoute = createRoute({
  method: 'post',
  path: '/v1/tenants/{tenantId}/tokens/{tokenId}/rotate',
  security: [{ bearer: [] }],
  request: { params: TokenPathSchema },
  responses: { 201: jsonResponse('The replacement token; the old one is revoked in the same transaction', IssuedTokenSchema), ...ERROR_RESPONSES },
})

const revokeTokenRoute = createRoute({
  method: 'delete',
  path: '/v1/tenants/{tenantId}/tokens/{tokenId}',
  security: [{ bearer: [] }],
  request: { params: TokenPathSchema },
  responses: { 200: jsonResponse('The revoked token', TokenInfoSchema), ...ERROR_RESPONSES },
})

/** A live token of the tenant, or 404 (unknown, another tenant's, or already revoked). */
async function liveToken(env: Env, tenantId: string, tokenId: string) {
  const token = await getToken(env.DB, tenantId, tokenId)
  if (!token || token.revokedAt) throw new FabricError('NOT_FOUND', `no live token '${tokenId}' in tenant '${tenantId}'`)
  return token
}

export const tenantRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createTenantRoute, async (c) => {
    const body = c.req.valid('json')
    const auth = c.get('auth')
    const id = body.id ?? newId('ten')
    if (id === operatorTenant(c.env)) throw new FabricError('CONFLICT', `tenant id '${id}' is reserved for the operator`)
    const created = await createTenant(c.env.DB, {
      id,
      name: body.name,
      scopes: body.scopes,
      createdBy: auth.tokenId,
      ...(body.label !== undefined ? { label: body.label } : {}),
    })
    if (!created) throw new FabricError('CONFLICT', `tenant '${id}' exists; choose another id or omit it for a generated one`)
    const rateLimit = body.rateLimit ? await limiter(c.env, id).configure(body.rateLimit) : await limiter(c.env, id).limits()
    await auditChange(c, {
      action: 'tenant.create',
      tenantId: id,
      target: { tenantId: id, tokenId: created.token.id },
      details: { name: body.name, scopes: created.token.scopes, rateLimit },
    })
    return c.json({ tenant: created.tenant, token: created.token, rateLimit }, 201)
  })
  .openapi(listTenantsRoute, async (c) => {
    const auth = c.get('auth')
    if (isOperator(c.env, auth)) return c.json({ tenants: await listTenants(c.env.DB) }, 200)
    const own = await getTenant(c.env.DB, auth.tenantId)
    return c.json({ tenants: own ? [own] : [] }, 200)
  })
  .openapi(getTenantRoute, async (c) => {
    const { tenantId } = c.req.valid('param')
    assertVisible(c.env, c.get('auth'), tenantId)
    const tenant = await getTenant(c.env.DB, tenantId)
    if (!tenant) throw new FabricError('NOT_FOUND', `no tenant '${tenantId}'`)
    return c.json({ tenant, rateLimit: await limiter(c.env, tenantId).limits() }, 200)
  })
  .openapi(putRateLimitRoute, async (c) => {
    const { tenantId } = c.req.valid('param')
    if (!(await getTenant(c.env.DB, tenantId))) throw new FabricError('NOT_FOUND', `no tenant '${tenantId}'`)
    const rateLimit = await limiter(c.env, tenantId).configure(c.req.valid('json'))
    await auditChange(c, { action: 'tenant.rate_limit', tenantId, target: { tenantId }, details: { rateLimit } })
    return c.json(rateLimit, 200)
  })
  .openapi(listTokensRoute, async (c) => {
    const { tenantId } = c.req.valid('param')
    assertTenantAdmin(c.env, c.get('auth'), tenantId)
    return c.json({ tokens: await listTokens(c.env.DB, tenantId) }, 200)
  })
  .openapi(issueTokenRoute, async (c) => {
    const { tenantId } = c.req.valid('param')
    const body = c.req.valid('json')
    const auth = c.get('auth')
    assertTenantAdmin(c.env, auth, tenantId)
    assertGrantable(c.env, auth, body.scopes)
    if (!(await getTenant(c.env.DB, tenantId))) throw new FabricError('NOT_FOUND', `no tenant '${tenantId}'`)
    const token = await issueToken(c.env.DB, {
      tenantId,
      scopes: body.scopes,
      createdBy: auth.tokenId,
      ...(body.label !== undefined ? { label: body.label } : {}),
    })
    await auditChange(c, { action: 'token.issue', tenantId, target: { tokenId: token.id }, details: { scopes: token.scopes, label: token.label } })
    return c.json(token, 201)
  })
  .openapi(rotateTokenRoute, async (c) => {
    const { tenantId, tokenId } = c.req.valid('param')
    const auth = c.get('auth')
    assertTenantAdmin(c.env, auth, tenantId)
    const old = await liveToken(c.env, tenantId, tokenId)
    assertGrantable(c.env, auth, old.scopes)
    const token = await rotateToken(c.env.DB, old, auth.tokenId)
    await auditChange(c, { action: 'token.rotate', tenantId, target: { tokenId: old.id, replacedBy: token.id } })
    return c.json(token, 201)
  })
  .openapi(revokeTokenRoute, async (c) => {
    const { tenantId, tokenId } = c.req.valid('param')
    const auth = c.get('auth')
    assertTenantAdmin(c.env, auth, tenantId)
    const revoked = await revokeToken(c.env.DB, tenantId, tokenId, auth.tokenId)
    if (!revoked) throw new FabricError('NOT_FOUND', `no live token '${tokenId}' in tenant '${tenantId}'`)
    await auditChange(c, { action: 'token.revoke', tenantId, target: { tokenId } })
    return c.json(revoked, 200)
  })
