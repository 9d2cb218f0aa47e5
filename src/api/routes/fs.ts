/**
 * `PUT|GET|DELETE /v1/fs/<path>?backend=memory|r2|kv`: the tenant's files.
 * GET on a directory lists it; DELETE of a directory needs `?recursive=1`.
 * Paths are confined by fsx itself, so a traversal is refused, not rewritten.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { FabricError } from '../../../types/errors'
import { callerFileSystem } from '../../governance/fs-policy'
import { KillSwitchStore } from '../../governance/kill-switch'
import { tenantFileSystem } from '../../agent/exec-service'
import type { AppEnv } from '../app-env'
import { requireScope } from '../middleware/auth'
import { ErrorSchema } from '../openapi'
import { FsBackendSchema } from '../../core/exec-request'

const PREFIX = '/v1/fs'

const QuerySchema = z.object({
  backend: FsBackendSchema.optional(),
  recursive: z.enum(['0', '1', 'true', 'false']).optional(),
})

function filePath(c: Context<AppEnv>): string {
  const raw = new URL(c.req.url).pathname.slice(PREFIX.length) || '/'
  try {
    return raw
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/')
  } catch {
    throw new FabricError('EINVAL', 'the path is not valid percent-encoded UTF-8')
  }
}

/**
 * The caller's view of the tenant's files: `fs:` policy rules apply to every access. A write
 * (PUT, DELETE) is refused 403 KILL_SWITCH under a tenant or global switch, like everything
 * else that changes the tenant's state; reads stay open, to look at what happened.
 */
async function fsFor(c: Context<AppEnv>, access: 'read' | 'write') {
  const parsed = QuerySchema.safeParse(c.req.query())
  if (!parsed.success) {
    // Name only the parameters that are wrong, so `backend=s3` is not also told about `recursive`.
    const wrong = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))]
    const rules: Record<string, string> = { backend: 'backend must be memory, r2 or kv', recursive: 'recursive must be 1 or 0' }
    throw new FabricError('VALIDATION_ERROR', `query: ${wrong.map((name) => rules[name] ?? `${name} is not valid`).join('; ')}`)
  }
  const auth = c.get('auth')
  if (access === 'write') await new KillSwitchStore(c.env.DB).assertNotKilled(auth.tenantId)
  const unguarded = tenantFileSystem(c.env, auth.tenantId, parsed.data.backend)
  const fs = await callerFileSystem(unguarded, c.env, auth)
  const recursive = parsed.data.recursive === '1' || parsed.data.recursive === 'true'
  return { fs, unguarded, recursive }
}

export const fsRoutes = new OpenAPIHono<AppEnv>()

fsRoutes.put(`${PREFIX}/*`, requireScope('agent'), async (c) => {
  const { fs, unguarded } = await fsFor(c, 'write')
  const path = filePath(c)
  // A declared length lets R2 take the body as a stream instead of a buffer.
  const length = Number(c.req.header('content-length'))
  const body = c.req.raw.body
  if (body && Number.isSafeInteger(length)) await fs.write(path, body, { parents: true, size: length })
  else await fs.write(path, new Uint8Array(await c.req.arrayBuffer()), { parents: true })
  // Reporting what the caller just wrote is part of the write, not a read policy may refuse.
  const stat = await unguarded.stat(path)
  return c.json({ path, size: stat.size, mtime: stat.mtime }, 201)
})

fsRoutes.get(`${PREFIX}/*`, requireScope('read'), async (c) => {
  const { fs } = await fsFor(c, 'read')
  const path = filePath(c)
  const stat = await fs.stat(path)
  if (stat.type === 'directory') {
    return c.json({ path, type: 'directory', entries: await fs.readdir(path) }, 200)
  }
  return new Response(await fs.readStream(path), {
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(stat.size),
      'last-modified': new Date(stat.mtime).toUTCString(),
    },
  })
})

fsRoutes.delete(`${PREFIX}/*`, requireScope('agent'), async (c) => {
  const { fs, unguarded, recursive } = await fsFor(c, 'write')
  const path = filePath(c)
  // Only the rm below needs permission (fs:write); this stat just picks the directory rule.
  const stat = await unguarded.stat(path)
  if (stat.type === 'directory' && !recursive) {
    throw new FabricError('EISDIR', `${path} is a directory; add ?recursive=1 to delete it and everything in it`)
  }
  await fs.rm(path, { recursive })
  return c.json({ path, deleted: true }, 200)
})

const pathParam = z.string().openapi({ param: { name: 'path', in: 'path' }, example: 'notes/a.txt' })
const backendParam = FsBackendSchema.optional().openapi({ param: { name: 'backend', in: 'query' } })
const errors = {
  400: { description: 'Bad path (traversal, control characters, too long)', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'No such file or directory', content: { 'application/json': { schema: ErrorSchema } } },
}
for (const method of ['put', 'get', 'delete'] as const) {
  fsRoutes.openAPIRegistry.registerPath({
    method,
    path: `${PREFIX}/{path}`,
    security: [{ bearer: [] }],
    request: { params: z.object({ path: pathParam }), query: z.object({ backend: backendParam }) },
    responses: { 200: { description: method === 'get' ? 'File bytes, or a JSON listing for a directory' : 'Done' }, ...errors },
  })
}
