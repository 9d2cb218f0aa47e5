/** `GET /v1/whoami`: the tenant and scopes of the caller's token — a cheap check that a token works. */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import type { AppEnv } from '../app-env'

const WhoamiSchema = z
  .object({ tenantId: z.string(), scopes: z.array(z.enum(['admin', 'agent', 'read'])), tokenId: z.string() })
  .openapi('Whoami')

const route = createRoute({
  method: 'get',
  path: '/v1/whoami',
  security: [{ bearer: [] }],
  responses: { 200: { description: 'Who the token authenticates as', content: { 'application/json': { schema: WhoamiSchema } } } },
})

export const whoamiRoutes = new OpenAPIHono<AppEnv>().openapi(route, (c) => {
  const { tenantId, scopes, tokenId } = c.get('auth')
  return c.json({ tenantId, scopes, tokenId }, 200)
})
