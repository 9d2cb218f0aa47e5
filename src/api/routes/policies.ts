/**
 * Policies: `PUT|GET|DELETE /v1/policies[/:id]`, the tenant default effect
 * (`PUT /v1/policy/default`), a dry-run decision (`POST /v1/policy/check`,
 * not audited, changes nothing) and the decision audit (`GET /v1/policy/decisions`).
 * A write takes effect on the next decision everywhere (see policy-store.ts).
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { listDecisions } from '../../governance/audit'
import { flushWalOwners } from '../../orchestration/wal-owners'
import { actionsForExec } from '../../governance/exec-actions'
import { createGovernance, subjectOf } from '../../governance/governance'
import { pushPolicyChange } from '../../governance/agent-signals'
import { intentAction } from '../../core/policy-actions'
import { PolicyBodySchema, PolicyEffectSchema, PolicyIdSchema, PolicyRuleSchema, SCOPE_LEVELS } from '../../governance/policy-schema'
import { FabricError } from '../../../types/errors'
import { createExecutionContext } from '../../core/context'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { validationHook } from '../openapi'
import { auditChange } from '../audit-change'
import { ERROR_RESPONSES, LimitSchema, jsonBody, jsonResponse } from '../responses'

const PolicySchema = z
  .object({
    id: z.string(),
    scope: z.object({ level: z.enum(SCOPE_LEVELS), id: z.string() }),
    priority: z.number().int(),
    rules: z.array(PolicyRuleSchema),
    updatedAt: z.string(),
  })
  .openapi('Policy')

const IdParams = z.object({ id: PolicyIdSchema.openapi({ param: { name: 'id', in: 'path' }, example: 'no-rm' }) })

const EvaluationSchema = z.object({
  action: z.string(),
  effect: PolicyEffectSchema,
  policyId: z.string().optional(),
  ruleIndex: z.number().int().optional(),
  reason: z.string(),
})

const CheckSchema = z
  .object({
    actions: z.array(z.string().min(1).max(4096)).max(256).optional().openapi({ example: ['exec:rm', 'fs:write:/etc/hosts'] }),
    command: z.string().min(1).max(65_536).optional().openapi({ example: 'cat /a.txt | grep x > /out.txt' }),
    operation: z.string().min(1).max(256).optional(),
    args: z.array(z.unknown()).max(10_000).optional(),
    tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
    cwd: z.string().max(4096).optional(),
    intentType: z.string().min(3).max(256).optional(),
    kind: z.enum(['exec', 'task', 'intent', 'saga_step', 'grant']).default('exec'),
    agentId: z.string().min(1).max(128).optional(),
    sessionId: z.string().min(1).max(256).optional(),
    workspaceId: z.string().min(1).max(256).optional(),
    roles: z.array(z.string().min(1).max(256)).max(64).optional(),
  })
  .strict()
  .refine((b) => b.actions !== undefined || b.command !== undefined || b.operation !== undefined || b.intentType !== undefined, {
    message: 'give "actions", a "command", an "operation" or an "intentType" to check',
  })
  .openapi('PolicyCheck')

const admin = requireScope('admin')
const reader = requireScope('read')

export const policyRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

policyRoutes.use('/v1/policies', reader)
policyRoutes.use('/v1/policies/*', reader)
policyRoutes.use('/v1/policy/*', reader)

policyRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/v1/policies/{id}',
    security: [{ bearer: [] }],
    middleware: [admin],
    request: { params: IdParams, ...jsonBody(PolicyBodySchema) },
    responses: { 200: jsonResponse('Replaced', PolicySchema), 201: jsonResponse('Created', PolicySchema), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    const { tenantId } = c.get('auth')
    const { policy, created } = await createGovernance(c.env).policies.put(tenantId, id, c.req.valid('json'))
    await pushPolicyChange(c.env, tenantId)
    await auditChange(c, { action: 'policy.put', target: { policyId: id }, details: { scope: policy.scope, priority: policy.priority, rules: policy.rules.length } })
    const { tenantId: _tenant, ...body } = policy
    return c.json(body, created ? 201 : 200)
  },
)

policyRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/policies',
    security: [{ bearer: [] }],
    responses: { 200: jsonResponse('The tenant policies and default effect', z.object({ policies: z.array(PolicySchema), defaultEffect: PolicyEffectSchema })), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const { tenantId } = c.get('auth')
    const governance = createGovernance(c.env)
    const [policies, defaultEffect] = await Promise.all([governance.policies.list(tenantId), governance.policies.defaultEffect(tenantId)])
    return c.json({ policies: policies.map(({ tenantId: _t, ...p }) => p), defaultEffect }, 200)
  },
)

policyRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/policies/{id}',
    security: [{ bearer: [] }],
    request: { params: IdParams },
    responses: { 200: jsonResponse('The policy', PolicySchema), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    const policy = await createGovernance(c.env).policies.get(c.get('auth').tenantId, id)
    if (!policy) throw new FabricError('NOT_FOUND', `no policy "${id}" in this tenant; GET /v1/policies lists them`)
    const { tenantId: _t, ...body } = policy
    return c.json(body, 200)
  },
)

policyRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/v1/policies/{id}',
    security: [{ bearer: [] }],
    middleware: [admin],
    request: { params: IdParams },
    responses: { 204: { description: 'Deleted' }, ...ERROR_RESPONSES },
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    await createGovernance(c.env).policies.delete(c.get('auth').tenantId, id)
    await pushPolicyChange(c.env, c.get('auth').tenantId)
    await auditChange(c, { action: 'policy.delete', target: { policyId: id } })
    return c.body(null, 204)
  },
)

policyRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/v1/policy/default',
    security: [{ bearer: [] }],
    middleware: [admin],
    request: jsonBody(z.object({ effect: PolicyEffectSchema }).strict()),
    responses: { 200: jsonResponse('The new default', z.object({ defaultEffect: PolicyEffectSchema })), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const { effect } = c.req.valid('json')
    await createGovernance(c.env).policies.setDefaultEffect(c.get('auth').tenantId, effect)
    await pushPolicyChange(c.env, c.get('auth').tenantId)
    await auditChange(c, { action: 'policy.put', target: { policyId: '(default)' }, details: { defaultEffect: effect } })
    return c.json({ defaultEffect: effect }, 200)
  },
)

policyRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/policy/check',
    security: [{ bearer: [] }],
    request: jsonBody(CheckSchema),
    responses: {
      200: jsonResponse(
        'What the policy would decide now (dry run: not audited, nothing runs)',
        z.object({ effect: PolicyEffectSchema, action: z.string(), reason: z.string(), policyVersion: z.number().int(), evaluations: z.array(EvaluationSchema) }),
      ),
      ...ERROR_RESPONSES,
    },
  }),
  async (c) => {
    const body = c.req.valid('json')
    const auth = c.get('auth')
    const ctx = createExecutionContext({
      tenantId: auth.tenantId,
      principal: auth.tokenId,
      trace: c.get('trace'),
      ...(body.agentId ? { agentId: body.agentId } : {}),
      ...(body.sessionId ? { sessionId: body.sessionId } : {}),
    })
    const actions = [
      ...(body.actions ?? []),
      ...(body.command !== undefined || body.operation !== undefined ? actionsForExec(body) : []),
      ...(body.intentType ? [intentAction(body.intentType)] : []),
    ]
    const request = {
      ctx,
      kind: body.kind,
      actions,
      summary: {},
      subject: { ...(body.workspaceId ? { workspaceId: body.workspaceId } : {}), ...(body.roles ? { roles: body.roles } : {}) },
    }
    const set = await createGovernance(c.env).policies.current(auth.tenantId)
    const evaluation = set.evaluate(actions, subjectOf(request))
    const evaluations = evaluation.evaluations.map(({ rule: _rule, ...e }) => e)
    return c.json({ effect: evaluation.effect, action: evaluation.deciding.action, reason: evaluation.deciding.reason, policyVersion: set.version, evaluations }, 200)
  },
)

policyRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/policy/decisions',
    security: [{ bearer: [] }],
    request: { query: z.object({ executionId: z.string().min(1).max(128).optional(), limit: LimitSchema }) },
    responses: { 200: jsonResponse('Audited decisions, newest first', z.object({ decisions: z.array(z.record(z.string(), z.unknown())) })), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const query = c.req.valid('query')
    // Decisions reach D1 with their agent's WAL: the agents that may hold some deliver them first.
    await flushWalOwners(c.env, c.get('auth').tenantId, query.executionId ? { executionId: query.executionId } : {})
    const decisions = await listDecisions(c.env.DB, c.get('auth').tenantId, {
      limit: query.limit,
      ...(query.executionId ? { executionId: query.executionId } : {}),
    })
    return c.json({ decisions }, 200)
  },
)
