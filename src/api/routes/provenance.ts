/**
 * `GET /v1/provenance?ref=/path&depth=1`: who wrote and read a data
 * reference, how those executions ended, and what the writers read in turn.
 * References only: no file contents are ever returned here.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { normalizePath } from '../../governance/actions'
import { MAX_LINEAGE_DEPTH, provenance } from '../../governance/provenance'
import { flushWalOwners } from '../../orchestration/wal-owners'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { validationHook } from '../openapi'
import { ERROR_RESPONSES, jsonResponse } from '../responses'

export const provenanceRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

provenanceRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/provenance',
    security: [{ bearer: [] }],
    middleware: [requireScope('read')],
    request: {
      query: z.object({
        ref: z.string().min(1).max(4096).openapi({ example: '/reports/q3.csv' }),
        depth: z.coerce.number().int().min(0).max(MAX_LINEAGE_DEPTH).default(1),
      }),
    },
    responses: { 200: jsonResponse('Writers (with their inputs) and readers of the reference, newest first', z.record(z.string(), z.unknown()).openapi('Provenance')), ...ERROR_RESPONSES },
  }),
  async (c) => {
    const { ref, depth } = c.req.valid('query')
    // References and outcomes reach D1 with their agents' WAL: the live agents deliver theirs first.
    await flushWalOwners(c.env, c.get('auth').tenantId, {})
    return c.json(await provenance(c.env.DB, c.get('auth').tenantId, normalizePath(ref), depth), 200)
  },
)
