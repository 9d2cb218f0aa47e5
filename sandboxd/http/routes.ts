/**
 * sandboxd's HTTP API (JSON unless noted; every route needs the bearer secret):
 *
 *   GET    /v1/health
 *   PUT    /v1/sandboxes/:tenant/:sandbox              {isolation?}      create or reconfigure; warm sandbox started
 *   DELETE /v1/sandboxes/:tenant/:sandbox                                destroy (warm sandbox killed, work dir removed)
 *   GET    /v1/sandboxes/:tenant/:sandbox/usage                          cpu, peak rss, disk
 *   POST   /v1/sandboxes/:tenant/:sandbox/exec         ExecRequest       → ExecResponse
 *   POST   /v1/sandboxes/:tenant/:sandbox/exec/stream  ExecRequest       → server-sent events
 *   GET    /v1/sandboxes/:tenant/:sandbox/files                          manifest (sha-256, mtime)
 *   POST   /v1/sandboxes/:tenant/:sandbox/files/batch  {deletes, mkdirs, mtimes}
 *   PUT    /v1/sandboxes/:tenant/:sandbox/file?path=…&mtimeMs=…   raw bytes in
 *   GET    /v1/sandboxes/:tenant/:sandbox/file?path=…             raw bytes out
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { z } from 'zod'
import {
  CreateSandboxRequestSchema,
  ExecRequestSchema,
  FileBatchRequestSchema,
  RelativePathSchema,
  type ExecRequest,
  type HealthResponse,
  type SandboxResponse,
  type SandboxUsage,
} from '../protocol.ts'
import { FabricError } from '../../types/errors.ts'
import type { ExecHooks, ExecService } from '../sandbox/exec-service.ts'
import { bumpGeneration, type SandboxRegistry, type SandboxState } from '../sandbox/registry.ts'
import { applyBatch, openForRead, writeFileFrom } from '../workdir/files.ts'
import { diskUsage, listWorkDir } from '../workdir/manifest.ts'
import type { Owner } from '../workdir/confined-path.ts'
import { parseWith, readJson, sendJson } from './io.ts'
import { SseWriter } from './sse.ts'

export interface RouteDeps {
  registry: SandboxRegistry
  execService: ExecService
  health: () => HealthResponse
  owner: Owner
  maxFileBytes: number
}

export interface RouteContext {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  tenant: string
  sandbox: string
}

export type Handler = (ctx: RouteContext, deps: RouteDeps) => Promise<void>

const FileQuerySchema = z.object({
  path: RelativePathSchema.refine((p) => p !== '', 'a file path, not the work dir itself'),
  mtimeMs: z.coerce.number().nonnegative().optional(),
})

function describe(state: SandboxState): SandboxResponse {
  return { tenant: state.tenant, sandbox: state.sandbox, isolation: state.isolation }
}

/** Runs `task` on the sandbox (created on first use) under its lock. */
function onSandbox<T>(ctx: RouteContext, deps: RouteDeps, task: (state: SandboxState) => Promise<T>): Promise<T> {
  return deps.registry.lock(ctx.tenant, ctx.sandbox, async () => task(await deps.registry.ensure(ctx.tenant, ctx.sandbox)))
}

const health: Handler = async ({ res }, deps) => sendJson(res, 200, deps.health())

const createSandbox: Handler = async (ctx, deps) => {
  const body = await readJson(ctx.req, CreateSandboxRequestSchema)
  const state = await deps.registry.lock(ctx.tenant, ctx.sandbox, async () => {
    const ensured = await deps.registry.ensure(ctx.tenant, ctx.sandbox, body.isolation)
    // Pooling (FR-LIFE-6): the agent's first command finds its sandbox already running.
    await deps.execService.warmUp(ensured)
    return ensured
  })
  sendJson(ctx.res, 200, describe(state))
}

const destroySandbox: Handler = async (ctx, deps) => {
  await deps.registry.lock(ctx.tenant, ctx.sandbox, () => deps.registry.destroy(ctx.tenant, ctx.sandbox))
  sendJson(ctx.res, 200, { destroyed: true })
}

const usage: Handler = async (ctx, deps) => {
  const report = await onSandbox(ctx, deps, async (state): Promise<SandboxUsage> => {
    const disk = await diskUsage(state.workDir)
    return { ...state.usage, diskBytes: disk.bytes, files: disk.files }
  })
  sendJson(ctx.res, 200, report)
}

function runExec(ctx: RouteContext, deps: RouteDeps, request: ExecRequest, hooks?: ExecHooks) {
  return deps.registry.lock(ctx.tenant, ctx.sandbox, async () => {
    const state = await deps.registry.ensure(ctx.tenant, ctx.sandbox, request.isolation)
    if (request.ifGeneration !== undefined && request.ifGeneration !== state.generation) {
      throw new FabricError('WORKDIR_CHANGED', `the work dir of ${ctx.tenant}/${ctx.sandbox} changed since generation ${request.ifGeneration}: list it (GET …/files), sync, and run again`)
    }
    bumpGeneration(state)
    const result = await deps.execService.exec(state, request, hooks)
    if (!request.manifest) return result
    return { ...result, manifest: await listWorkDir(state.workDir, state.hashes), generation: state.generation }
  })
}

const exec: Handler = async (ctx, deps) => {
  const request = await readJson(ctx.req, ExecRequestSchema)
  sendJson(ctx.res, 200, await runExec(ctx, deps, request))
}

const execStream: Handler = async (ctx, deps) => {
  const request = await readJson(ctx.req, ExecRequestSchema)
  const sse = new SseWriter(ctx.res)
  // A client that goes away stops the run, as a timeout would.
  const abort = new AbortController()
  ctx.res.on('close', () => abort.abort())
  try {
    const result = await runExec(ctx, deps, request, { onOutput: (stream, chunk) => sse.output(stream, chunk), signal: abort.signal })
    sse.event('result', result)
  } catch (error) {
    const failure = error instanceof FabricError ? error : new FabricError('SANDBOX_ERROR', String((error as Error).message))
    sse.event('error', { code: failure.code, message: failure.message })
  }
  sse.end()
}

const listFiles: Handler = async (ctx, deps) => {
  const entries = await onSandbox(ctx, deps, (state) => listWorkDir(state.workDir, state.hashes))
  sendJson(ctx.res, 200, { entries })
}

const fileBatch: Handler = async (ctx, deps) => {
  const batch = await readJson(ctx.req, FileBatchRequestSchema)
  const mtimes: Record<string, number> = {}
  for (const [path, mtimeMs] of Object.entries(batch.mtimes)) mtimes[parseWith(RelativePathSchema, path)] = mtimeMs
  const modes: Record<string, number> = {}
  for (const [path, mode] of Object.entries(batch.modes)) modes[parseWith(RelativePathSchema, path)] = mode
  await onSandbox(ctx, deps, (state) => {
    bumpGeneration(state)
    return applyBatch(state.workDir, { ...batch, mtimes, modes }, deps.owner)
  })
  sendJson(ctx.res, 200, { applied: true })
}

const putFile: Handler = async (ctx, deps) => {
  const query = parseWith(FileQuerySchema, Object.fromEntries(ctx.url.searchParams))
  const declared = Number(ctx.req.headers['content-length'] ?? 0)
  if (declared > deps.maxFileBytes) {
    throw new FabricError('EFBIG', `'${query.path}' (${declared} bytes) is larger than sandboxd's ${deps.maxFileBytes}-byte file limit`)
  }
  const written = await onSandbox(ctx, deps, (state) => {
    bumpGeneration(state)
    return writeFileFrom(state.workDir, query.path, ctx.req, { maxBytes: deps.maxFileBytes, mtimeMs: query.mtimeMs ?? null, owner: deps.owner })
  })
  sendJson(ctx.res, 200, written)
}

const getFile: Handler = async (ctx, deps) => {
  const { path } = parseWith(FileQuerySchema, Object.fromEntries(ctx.url.searchParams))
  await onSandbox(ctx, deps, async (state) => {
    const { handle, size } = await openForRead(state.workDir, path)
    try {
      if (size > deps.maxFileBytes) {
        throw new FabricError('EFBIG', `'${path}' (${size} bytes) is larger than sandboxd's ${deps.maxFileBytes}-byte file limit`, { path, size })
      }
      ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size })
      await pipeline(handle.createReadStream({ autoClose: false }), ctx.res)
    } finally {
      await handle.close()
    }
  })
}

export const ROUTES: ReadonlyArray<{ method: string; pattern: RegExp; handler: Handler }> = [
  { method: 'GET', pattern: /^\/v1\/health$/, handler: health },
  { method: 'PUT', pattern: /^\/v1\/sandboxes\/([^/]+)\/([^/]+)$/, handler: createSandbox },
  { method: 'DELETE', pattern: /^\/v1\/sandboxes\/([^/]+)\/([^/]+)$/, handler: destroySandbox },
  { method: 'GET', pattern: /^\/v1\/sandboxes\/([^/]+)\/([^/]+)\/usage$/, handler: usage },
  { method: 'POST', pattern: /^\/v1\/sandboxes\/([^/]+)\/([^/]+)\/exec$/, handler: exec },
  { method: 'POST', pattern: /^\/v1\/sandboxes\/([^/]+)\/([^/]+)\/exec\/stream$/, handler: execStream },
  { method: 'GET', pattern: /^\/v1\/sandboxes\/([^/]+)\/([^/]+)\/files$/, handler: listFiles },
  { method: 'POST', pattern: /^\/v1\/sandboxes\/([^/]+)\/([^/]+)\/files\/batch$/, handler: fileBatch },
  { method: 'PUT', pattern: /^\/v1\/sandboxes\/([^/]+)\/([^/]+)\/file$/, handler: putFile },
  { method: 'GET', pattern: /^\/v1\/sandboxes\/([^/]+)\/([^/]+)\/file$/, handler: getFile },
]
