/**
 * What `POST /v1/modules` accepts: an ESM module (`source`) or a WASM module
 * (`wasm`, base64, plus the `entry` export that receives `args`), with an
 * optional egress allow-list and limits. Shared by the HTTP route (which
 * documents it in OpenAPI) and the upload logic.
 */
import { z } from '@hono/zod-openapi'
import { MAX_MODULE_MEMORY_MB } from './memory-meter'

/** Module names are operation names: lower-case, like the commands they sit beside. */
export const ModuleNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'a module name is 1-64 characters of a-z, 0-9, _ and -, starting with a letter')
  .openapi({ example: 'double' })

/** A host the module may reach through the egress gateway: `api.example.com` or `api.example.com:8443`. */
export const EgressHostSchema = z
  .string()
  .toLowerCase()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/, 'an egress entry is a host name, optionally with :port')

export const ModuleLimitsSchema = z
  .object({
    /** CPU time per call (enforced by Cloudflare; local workerd does not enforce it). */
    cpuMs: z.number().int().min(1).max(300_000).optional(),
    /** Outbound requests per call (fetches through the egress gateway). */
    subRequests: z.number().int().min(0).max(10_000).optional(),
    /** Memory per call (at most production's 128 MB isolate limit); locally the runner meters what JavaScript can see (memory-meter.ts). */
    memoryMb: z.number().int().min(1).max(MAX_MODULE_MEMORY_MB).optional(),
    /** Wall-clock time per call; the fabric stops waiting after min(wallMs, timeoutMs). */
    wallMs: z.number().int().min(1).max(300_000).optional(),
  })
  .strict()

/** 1 MiB of source or WASM: a module is code, not data (data goes through fsx). */
export const MAX_MODULE_BYTES = 1024 * 1024

const Common = {
  name: ModuleNameSchema,
  egress: z.array(EgressHostSchema).max(32).default([]),
  limits: ModuleLimitsSchema.optional(),
}

export const EsmUploadSchema = z
  .object({
    ...Common,
    source: z.string().min(1).max(MAX_MODULE_BYTES).openapi({
      description: 'An ES module whose default export has run(ctx) returning (or resolving to) a JSON value',
      example: 'export default { run: (ctx) => ctx.args.map((n) => n * 2) }',
    }),
  })
  .strict()

export const WasmUploadSchema = z
  .object({
    ...Common,
    wasm: z
      .string()
      .min(1)
      .max(Math.ceil(MAX_MODULE_BYTES / 3) * 4)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'wasm must be standard base64')
      .refine((text) => text.length % 4 === 0, 'wasm must be padded base64 (a multiple of 4 characters)')
      .openapi({ description: 'The WebAssembly binary, base64' }),
    entry: z
      .string()
      .regex(/^[A-Za-z_$][A-Za-z0-9_$]{0,127}$/, 'entry must be the name of an exported function')
      .openapi({ example: 'add' }),
  })
  .strict()

export const ModuleUploadSchema = z.union([EsmUploadSchema, WasmUploadSchema]).openapi('ModuleUpload')

export type ModuleUpload = z.infer<typeof ModuleUploadSchema>
