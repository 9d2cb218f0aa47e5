/** `GET /health`: unauthenticated liveness, version and which tiers can run now. */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { EXECUTION_TIERS, type ExecutionTier } from '../../../types/execution'
import { DEFAULT_TIERS } from '../../execution/tier-table'
import { TIER_ORDER } from '../../execution/tiers'
import type { AppEnv } from '../app-env'

const HealthSchema = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    tiers: z.array(z.object({ tier: z.number(), name: z.string(), available: z.boolean() })),
  })
  .openapi('Health')

const route = createRoute({
  method: 'get',
  path: '/health',
  responses: { 200: { description: 'The fabric is up', content: { 'application/json': { schema: HealthSchema } } } },
})

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const tiers = await Promise.all(
    TIER_ORDER.map(async (tier: ExecutionTier) => ({
      tier,
      name: EXECUTION_TIERS[tier].name,
      available: await DEFAULT_TIERS[tier].isAvailable(c.env).catch(() => false),
    })),
  )
  return c.json({ status: 'ok' as const, version: c.env.FABRIC_VERSION, tiers }, 200)
})
