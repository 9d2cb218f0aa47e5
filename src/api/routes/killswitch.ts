/**
 * `POST /v1/killswitch {scope, agentId?, active, reason}` throws or lifts a
 * kill switch (seed 003). Active: every new execution in its scope is refused
 * with 403 KILL_SWITCH, and the running ones of the affected agents are
 * aborted (the agents suspend); lifted, the agents it suspended run again.
 * `GET /v1/killswitch` lists the switches the tenant is under.
 * Tenant and agent switches need the tenant's admin scope; the global one an operator.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { FabricError } from '../../../types/errors'
import { abortAffectedAgents, resumeAffectedAgents } from '../../governance/agent-signals'
import { createGovernance } from '../../governance/governance'
import type { KillTarget } from '../../governance/kill-switch'
import type { AppEnv } from '../app-env'
import { isOperator } from '../auth/tokens'
import { requireScope } from '../middleware/auth'
import { validationHook } from '../openapi'
import { auditChange } from '../audit-change'
import { ERROR_RESPONSES, jsonBody, jsonResponse } from '../responses'

const SCOPES = ['global', 'tenant', 'agent'] as const

const KillSwitchBody = z
  .object({
    scope: z.enum(SCOPES),
    agentId: z.string().min(1).max(128).optional(),
    active: z.boolean().default(true),
    reason: z.string().min(1).max(2048).openapi({ example: 'runaway agent, incident 42' }),
  })
  .strict()
  .refine((b) => (b.scope === 'agent') === (b.agentId !== undefined), { message: '"agentId" is required with scope "agent" and only then', path: ['agentId'] })
  .openapi('KillSwitchRequest')

const KillSwitchState = z
  .object({
    scope: z.enum(SCOPES),
    tenantId: z.string().optional(),
    agentId: z.string().optional(),
    active: z.boolean(),
    reason: z.string(),
    changedBy: z.string(),
    changedAt: z.string(),
  })
  .openapi('KillSwitch')

export const killSwitchRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

killSwitchRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/killswitch',
    security: [{ bearer: [] }],
    middleware: [requireScope('admin')],
    request: jsonBody(KillSwitchBody),
    responses: {
      200: jsonResponse(
        'The switch, and how many agents were told to abort (thrown) or to run again (lifted)',
        z.object({ killSwitch: KillSwitchState, agents: z.object({ signalled: z.number().int(), failed: z.array(z.record(z.string(), z.string())) }) }),
      ),
      ...ERROR_RESPONSES,
    },
  }),
  async (c) => {
    const body = c.req.valid('json')
    const auth = c.get('auth')
    if (body.scope === 'global' && !isOperator(c.env, auth)) {
      throw new FabricError('FORBIDDEN', 'only an operator (an admin token of the operator tenant) may set the global kill switch; use scope "tenant" for your own tenant')
    }
    const target: KillTarget =
      body.scope === 'global' ? { scope: 'global' } : body.scope === 'tenant' ? { scope: 'tenant', tenantId: auth.tenantId } : { scope: 'agent', tenantId: auth.tenantId, agentId: body.agentId as string }
    const { killSwitches } = createGovernance(c.env)
    const killSwitch = await killSwitches.set(target, body.active, body.reason, auth.tokenId)
    await auditChange(c, { action: 'killswitch.set', target: { scope: body.scope, ...(body.agentId ? { agentId: body.agentId } : {}) }, details: { active: body.active, reason: body.reason } })
    const agents = body.active ? await abortAffectedAgents(c.env, target, body.reason) : await resumeAffectedAgents(c.env, target, killSwitches)
    return c.json({ killSwitch, agents }, 200)
  },
)

killSwitchRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/killswitch',
    security: [{ bearer: [] }],
    middleware: [requireScope('read')],
    responses: { 200: jsonResponse('The global switch and this tenant’s switches', z.object({ killSwitches: z.array(KillSwitchState) })), ...ERROR_RESPONSES },
  }),
  async (c) => c.json({ killSwitches: await createGovernance(c.env).killSwitches.list(c.get('auth').tenantId) }, 200),
)
