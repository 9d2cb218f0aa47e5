/**
 * Tier-3 modules: `POST /v1/modules` uploads (checked, then stored
 * content-addressed) and `GET /v1/modules` lists the caller's tenant's
 * modules. Calling an operation named after a module runs it (POST /v1/exec).
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { listModules, ModuleUploadSchema, uploadModule } from '../../execution/esm/index'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { assertCallerMayGrant } from '../egress-grant'
import { validationHook } from '../openapi'
import { auditChange } from '../audit-change'
import { ERROR_RESPONSES, jsonBody, jsonResponse } from '../responses'

const ModuleSchema = z
  .object({
    name: z.string(),
    hash: z.string().openapi({ description: 'sha-256 of the code, hex; the isolate id starts with it' }),
    kind: z.enum(['esm', 'wasm']),
    entry: z.string().optional(),
    size: z.number().int(),
    createdAt: z.string(),
    egress: z.array(z.string()),
    limits: z.object({ cpuMs: z.number().optional(), subRequests: z.number().optional(), wallMs: z.number().optional() }).optional(),
  })
  .openapi('Module')

const upload = createRoute({
  method: 'post',
  path: '/v1/modules',
  security: [{ bearer: [] }],
  middleware: [requireScope('agent')],
  request: jsonBody(ModuleUploadSchema),
  responses: {
    201: jsonResponse('Stored; calling an operation of this name now runs this version', ModuleSchema),
    400: ERROR_RESPONSES[400],
    401: ERROR_RESPONSES[401],
    403: ERROR_RESPONSES[403],
    409: ERROR_RESPONSES[409],
  },
})

const list = createRoute({
  method: 'get',
  path: '/v1/modules',
  security: [{ bearer: [] }],
  middleware: [requireScope('read')],
  responses: {
    200: jsonResponse("The tenant's modules, by name", z.object({ modules: z.array(ModuleSchema) })),
    401: ERROR_RESPONSES[401],
    403: ERROR_RESPONSES[403],
  },
})

export const moduleRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(upload, async (c) => {
    const upload = c.req.valid('json')
    await assertCallerMayGrant(c, 'module', upload.egress)
    const module = await uploadModule(c.env, c.get('auth').tenantId, upload)
    await auditChange(c, { action: 'module.upload', target: { module: module.name }, details: { hash: module.hash, kind: module.kind, size: module.size, egress: module.egress } })
    return c.json(module, 201)
  })
  .openapi(list, async (c) => c.json({ modules: await listModules(c.env, c.get('auth').tenantId) }, 200))
