/**
 * Budgets (FR-BUD-*): `GET|PUT /v1/budgets/:entityId` reads or sets the daily
 * limits, `GET /v1/budgets/:entityId/usage` returns the usage report with its
 * projection. Entities: `agent:<id>` (or a bare agent id), `user:<id>`, and
 * `tenant:<id>` (the caller's own tenant only). Agent limits live in the
 * agent's object; user and tenant limits in their ledger objects, which
 * agents lease from (see docs/agents.md).
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import type { UsageReport } from '../../agent/budget/account'
import { ledgerStub, type BudgetEntity, entityName } from '../../agent/budget/ledgers'
import { configFromLimits, limitsFromConfig } from '../../agent/budget/usage'
import { AGENT_ID_PATTERN, BudgetConfigSchema } from '../../agent/config'
import { agentStub } from '../../agent/router'
import { unwrap } from '../../agent/rpc-result'
import type { BudgetConfig } from '../../../types/fabric'
import { FabricError } from '../../../types/errors'
import type { Context } from 'hono'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { validationHook } from '../openapi'
import { UsageReportSchema, callerOf } from '../schemas/agents'
import { ERROR_RESPONSES, jsonBody, jsonResponse } from '../responses'

const Params = z.object({ entityId: z.string().min(1).max(200).openapi({ example: 'agent:researcher-1' }) })
const security = [{ bearer: [] }]
const BudgetSchema = z.object({ entity: z.string(), budget: BudgetConfigSchema }).openapi('Budget')

function parseEntity(c: Context<AppEnv>, raw: string): BudgetEntity {
  const tenantId = c.get('auth').tenantId
  const [kind, ...rest] = raw.includes(':') ? raw.split(':') : ['agent', raw]
  const id = rest.join(':')
  if (kind === 'tenant') {
    if (id !== tenantId) throw new FabricError('NOT_FOUND', `no budget entity ${raw} in this tenant`)
    return { kind: 'tenant', id }
  }
  if ((kind === 'agent' && AGENT_ID_PATTERN.test(id)) || (kind === 'user' && id.length > 0 && id.length <= 128)) {
    return { kind, id }
  }
  throw new FabricError('VALIDATION_ERROR', `a budget entity is agent:<id>, user:<id> or tenant:${tenantId}, not ${raw}`)
}

async function usageReport(c: Context<AppEnv>, entity: BudgetEntity): Promise<UsageReport> {
  const tenantId = c.get('auth').tenantId
  if (entity.kind === 'agent') return unwrap(await agentStub(c.env, tenantId, entity.id).budgetReport(callerOf(c)))
  return ledgerStub(c.env, tenantId, entity).report(entityName(entity))
}

async function setBudget(c: Context<AppEnv>, entity: BudgetEntity, budget: BudgetConfig): Promise<UsageReport> {
  const tenantId = c.get('auth').tenantId
  if (entity.kind === 'agent') return unwrap(await agentStub(c.env, tenantId, entity.id).setBudget(callerOf(c), budget))
  const ledger = ledgerStub(c.env, tenantId, entity)
  await ledger.configure({ tenantId, entity: entityName(entity), limits: limitsFromConfig(budget) })
  return ledger.report(entityName(entity))
}

export const budgetRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

budgetRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/budgets/{entityId}',
    security,
    middleware: [requireScope('read')],
    request: { params: Params },
    responses: { 200: jsonResponse('The daily limits', BudgetSchema), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const entity = parseEntity(c, c.req.valid('param').entityId)
    const report = await usageReport(c, entity)
    return c.json({ entity: entityName(entity), budget: configFromLimits(report.limits) }, 200)
  },
)

budgetRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/v1/budgets/{entityId}',
    security,
    middleware: [requireScope('admin')],
    request: { params: Params, ...jsonBody(BudgetConfigSchema) },
    responses: { 200: jsonResponse('The usage report under the new limits', UsageReportSchema), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const entity = parseEntity(c, c.req.valid('param').entityId)
    return c.json(await setBudget(c, entity, c.req.valid('json')), 200)
  },
)

budgetRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/budgets/{entityId}/usage',
    security,
    middleware: [requireScope('read')],
    request: { params: Params },
    responses: { 200: jsonResponse('Usage today, the projection to the end of the day, and the last days', UsageReportSchema), ...ERROR_RESPONSES },
  }),
  async (c) => c.json(await usageReport(c, parseEntity(c, c.req.valid('param').entityId)), 200),
)
