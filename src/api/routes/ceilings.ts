/**
 * Per-tenant resource ceilings (src/agent/ceilings.ts): a tenant reads its
 * own, only an operator sets them, so no tenant token can raise its limits.
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import { CeilingsSchema, readCeilings, writeCeilings } from '../../agent/ceilings'
import { FabricError } from '../../../types/errors'
import { pushPolicyChange } from '../../governance/agent-signals'
import type { AppEnv } from '../app-env'
import { auditChange } from '../audit-change'
import { getTenant } from '../auth/tenant-store'
import { isOperator } from '../auth/tokens'
import { requireOperator, requireScope } from '../middleware/auth'
import { validationHook } from '../openapi'
import { ERROR_RESPONSES, jsonBody, jsonResponse } from '../responses'
import { TenantPathSchema } from '../schemas/tenants'

const getRoute = createRoute({
  method: 'get',
  path: '/v1/tenants/{tenantId}/ceilings',
  security: [{ bearer: [] }],
  middleware: [requireScope('read')] as const,
  request: { params: TenantPathSchema },
  responses: { 200: jsonResponse("The tenant's ceilings (the defaults until an operator sets them)", CeilingsSchema), ...ERROR_RESPONSES },
})

const putRoute = createRoute({
  method: 'put',
  path: '/v1/tenants/{tenantId}/ceilings',
  security: [{ bearer: [] }],
  middleware: [requireOperator] as const,
  request: { params: TenantPathSchema, ...jsonBody(CeilingsSchema) },
  responses: { 200: jsonResponse('The new ceilings, in force for the next spawn and task', CeilingsSchema), ...ERROR_RESPONSES },
})

export const ceilingRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(getRoute, async (c) => {
    const { tenantId } = c.req.valid('param')
    const auth = c.get('auth')
    if (auth.tenantId !== tenantId && !isOperator(c.env, auth)) throw new FabricError('NOT_FOUND', `no tenant '${tenantId}'`)
    return c.json(await readCeilings(c.env.KV, tenantId), 200)
  })
  .openapi(putRoute, async (c) => {
    const { tenantId } = c.req.valid('param')
    if (!(await getTenant(c.env.DB, tenantId))) throw new FabricError('NOT_FOUND', `no tenant '${tenantId}'`)
    const ceilings = c.req.valid('json')
    await writeCeilings(c.env.KV, tenantId, ceilings)
    // Live agents hold the ceilings between admissions, like their policy set: drop them before answering.
    await pushPolicyChange(c.env, tenantId)
    await auditChange(c, { action: 'tenant.ceilings', tenantId, target: { tenantId }, details: ceilings })
    return c.json(ceilings, 200)
  })
