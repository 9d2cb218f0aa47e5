/**
 * Tier-3 test helpers: upload a module for a fresh tenant and run it the way
 * the router does (an ExecCall straight to the tier-3 executor).
 */
import { env } from 'cloudflare:workers'
import type { ESMModule, ExecOptions, ExecResult } from '../../../types/execution'
import type { z } from 'zod'
import { esmExecutor, ModuleUploadSchema, uploadModule } from '../../../src/execution/esm/index'
import { execCall, freshTenant, type CallSetup } from '../rpc/exec-call'

/**
 * A hand-assembled WebAssembly module exporting `add(i32, i32) -> i32`:
 * header, a type section (one (i32, i32) -> i32 signature), a function
 * section, an export section ("add" → function 0) and the code
 * `local.get 0; local.get 1; i32.add; end`.
 */
export const WASM_ADD = Uint8Array.of(
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
  0x03, 0x02, 0x01, 0x00,
  0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00,
  0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
)

export function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
}

export const DOUBLE_SOURCE = 'export default { run: (ctx) => ctx.args.map((n) => n * 2) }'

/** An upload as a client sends it (egress optional), parsed as the route parses it. */
export type UploadInput = z.input<typeof ModuleUploadSchema>

export function upload(tenantId: string, input: UploadInput): Promise<ESMModule> {
  return uploadModule(env, tenantId, ModuleUploadSchema.parse(input))
}

/** Uploads one ESM module for a new tenant; returns the tenant id. */
export async function tenantWith(name: string, source: string, extra: Pick<UploadInput, 'egress' | 'limits'> = {}): Promise<string> {
  const tenantId = freshTenant()
  await upload(tenantId, { name, source, ...extra })
  return tenantId
}

export function run(tenantId: string, name: string, args: unknown[] = [], options: ExecOptions = {}, setup: CallSetup = {}): Promise<ExecResult> {
  return esmExecutor.run(execCall(name, args, options, { tenantId, ...setup }))
}
