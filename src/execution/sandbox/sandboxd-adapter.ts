/**
 * SandboxClient over sandboxd's HTTP API (sandboxd/http/routes.ts), reached
 * with `fetch` at `env.SANDBOX_URL` and authenticated with
 * `env.SANDBOXD_SECRET`. Responses are parsed with the same zod schemas
 * sandboxd validates its requests with; files stream both ways as raw bodies.
 */
import { z } from 'zod'
import { FabricError, isErrorCode, type ErrorCode } from '../../../types/errors'
import {
  ErrorResponseSchema,
  ExecResponseSchema,
  FileListResponseSchema,
  HealthResponseSchema,
  SandboxUsageSchema,
  type ExecRequestInput,
  type FileBatchRequest,
} from '../../../sandboxd/protocol'
import { bytesToBase64 } from '../native/base64-codec'
import { type FileBody, type SandboxClient, type SandboxRef } from './client'

export interface SandboxdClientOptions {
  url: string
  secret: string
  /** W3C traceparent sent with every request (sandboxd logs it). */
  traceparent?: string
}

/** sandboxd answers in `timeoutMs`, plus this much for the sync around a run. */
const EXEC_GRACE_MS = 15_000
const FILE_OP_TIMEOUT_MS = 120_000

/** sandboxd's own codes mapped to the fabric's registry. */
function fabricCode(code: string): ErrorCode {
  if (code === 'PAYLOAD_TOO_LARGE') return 'EFBIG'
  return isErrorCode(code) ? code : 'SANDBOX_ERROR'
}

export function createSandboxdClient(options: SandboxdClientOptions): SandboxClient {
  const base = options.url.replace(/\/+$/, '')

  async function call(path: string, init: RequestInit & { timeoutMs: number }): Promise<Response> {
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${options.secret}`)
    if (options.traceparent) headers.set('traceparent', options.traceparent)
    let response: Response
    try {
      response = await fetch(`${base}${path}`, { ...init, headers, signal: AbortSignal.timeout(init.timeoutMs) })
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new FabricError('SANDBOX_ERROR', `sandboxd at ${base} did not answer within ${init.timeoutMs} ms`)
      }
      throw new FabricError(
        'TIER_UNAVAILABLE',
        `sandboxd is not reachable at ${base} (${reason}): start it with \`npm run dev\` (needs bubblewrap: apt-get install -y bubblewrap)`,
      )
    }
    if (response.ok) return response
    const body = ErrorResponseSchema.safeParse(await response.json().catch(() => null))
    if (response.status === 401) {
      throw new FabricError('SANDBOX_ERROR', 'sandboxd rejected SANDBOXD_SECRET: the Worker and sandboxd must read the same value from .dev.vars')
    }
    if (!body.success) throw new FabricError('SANDBOX_ERROR', `sandboxd answered ${response.status} without an error body`)
    const { code, message, details } = body.data.error
    throw new FabricError(fabricCode(code), message, details)
  }

  async function json<S extends z.ZodType>(schema: S, path: string, init: RequestInit & { timeoutMs: number }): Promise<z.infer<S>> {
    const response = await call(path, init)
    const parsed = schema.safeParse(await response.json())
    if (!parsed.success) throw new FabricError('SANDBOX_ERROR', `sandboxd's answer to ${path} does not match the protocol: ${parsed.error.message}`)
    return parsed.data
  }

  const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
  const batch = (body: FileBatchRequest): RequestInit & { timeoutMs: number } => ({ ...post(body), timeoutMs: FILE_OP_TIMEOUT_MS })
  const at = (ref: SandboxRef, rest = '') => `/v1/sandboxes/${encodeURIComponent(ref.tenantId)}/${encodeURIComponent(ref.sandboxId)}${rest}`
  const fileQuery = (path: string, extra: Record<string, string> = {}) => `?${new URLSearchParams({ path, ...extra })}`

  return {
    backend: 'sandboxd',

    async ping(timeoutMs) {
      await json(HealthResponseSchema, '/v1/health', { timeoutMs })
    },

    async create(ref, isolation) {
      await call(at(ref), { method: 'PUT', body: JSON.stringify({ isolation }), timeoutMs: FILE_OP_TIMEOUT_MS })
    },

    async destroy(ref) {
      await call(at(ref), { method: 'DELETE', timeoutMs: FILE_OP_TIMEOUT_MS })
    },

    async exec(ref, request) {
      const body: ExecRequestInput = {
        ...(request.argv ? { argv: request.argv } : { command: request.command ?? '' }),
        cwd: request.cwd,
        env: request.env,
        timeoutMs: request.timeoutMs,
        ...(request.isolation ? { isolation: request.isolation } : {}),
        ...(request.limits ? { limits: { cpuSeconds: request.limits.cpuSeconds, maxProcesses: request.limits.maxProcesses } } : {}),
        ...(request.stdin ? { stdinBase64: bytesToBase64(request.stdin) } : {}),
        // The sync back compares this with the baseline: one request fewer per run.
        manifest: true,
        ...(request.ifGeneration !== undefined ? { ifGeneration: request.ifGeneration } : {}),
      }
      return json(ExecResponseSchema, at(ref, '/exec'), { ...post(body), timeoutMs: request.timeoutMs + EXEC_GRACE_MS })
    },

    async listFiles(ref) {
      return (await json(FileListResponseSchema, at(ref, '/files'), { timeoutMs: FILE_OP_TIMEOUT_MS })).entries
    },

    async writeFiles(ref, write) {
      if (write.deletes.length > 0 || write.mkdirs.length > 0 || Object.keys(write.modes).length > 0) {
        await call(at(ref, '/files/batch'), batch({ deletes: write.deletes, mkdirs: write.mkdirs, modes: write.modes }))
      }
      for (const file of write.files) {
        await call(at(ref, `/file${fileQuery(file.path, { mtimeMs: String(file.mtimeMs) })}`), {
          method: 'PUT',
          body: await file.open(),
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(file.size) },
          timeoutMs: FILE_OP_TIMEOUT_MS,
        })
      }
    },

    async readFile(ref, path, maxBytes): Promise<FileBody> {
      const response = await call(at(ref, `/file${fileQuery(path)}`), { timeoutMs: FILE_OP_TIMEOUT_MS })
      const size = Number(response.headers.get('content-length') ?? Number.NaN)
      if (!response.body || !Number.isFinite(size)) throw new FabricError('SANDBOX_ERROR', `sandboxd sent '${path}' without a length`)
      if (size > maxBytes) {
        await response.body.cancel()
        throw new FabricError('EFBIG', `'${path}' is ${size} bytes, over the ${maxBytes}-byte sync limit`, { path, size, maxBytes })
      }
      return { stream: response.body, size }
    },

    async setMtimes(ref, mtimes) {
      await call(at(ref, '/files/batch'), batch({ mtimes }))
    },

    async usage(ref) {
      return json(SandboxUsageSchema, at(ref, '/usage'), { timeoutMs: FILE_OP_TIMEOUT_MS })
    },
  }
}
