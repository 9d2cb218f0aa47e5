/**
 * Accepting a module: the name must not shadow a built-in operation, the
 * code must load and expose what the fabric calls (checked in a throwaway
 * isolate, so a syntax error is MODULE_INVALID now, not at the first call),
 * and only then is it stored. Re-uploading a name replaces its version.
 */
import type { ESMModule } from '../../../types/execution'
import type { Env } from '../../env'
import { FabricError } from '../../../types/errors'
import { NATIVE_OPERATIONS } from '../native/index'
import { RPC_OPERATIONS } from '../rpc/index'
import { base64ToBytes } from '../native/base64-codec'
import { sha256Hex } from '../../core/digest'
import { MAX_MODULE_BYTES, type ModuleUpload } from './module-schema'
import { saveModule } from './module-store'
import { moduleProblem } from './module-validation'
import { HOSTED_CHECK_MS, moduleHost } from './module-host'
import { Deadline, DeadlineReached } from '../native/deadline'

/** The upload check, in the module host when tier 3 runs out of process (bounded: its top-level code may spin), else in LOADER. */
async function checkedProblem(bindings: Env, tenantId: string, module: Pick<ESMModule, 'name' | 'kind' | 'entry'>, bytes: Uint8Array): Promise<string | null> {
  const host = moduleHost(bindings)
  if (!host) {
    if (!bindings.LOADER) {
      throw new FabricError('TIER_UNAVAILABLE', 'the Worker Loader binding LOADER is not configured, so modules cannot be checked or run; add [[worker_loaders]] binding = "LOADER" to wrangler.toml')
    }
    return moduleProblem(bindings.LOADER, tenantId, module, bytes)
  }
  const deadline = new Deadline(HOSTED_CHECK_MS)
  try {
    return await deadline.race(host.check(tenantId, module, bytes))
  } catch (thrown) {
    if (thrown instanceof DeadlineReached) return `it did not finish loading within ${HOSTED_CHECK_MS} ms (a loop at the top level?)`
    throw new FabricError('TIER_UNAVAILABLE', `the module host did not answer the upload check (npm run dev restarts it when it hangs); retry in a few seconds: ${thrown instanceof Error ? thrown.message : String(thrown)}`)
  } finally {
    deadline.dispose()
  }
}

function refuseBuiltinName(name: string): void {
  const tier = NATIVE_OPERATIONS.has(name) ? 1 : RPC_OPERATIONS.has(name) ? 2 : undefined
  if (tier !== undefined) {
    throw new FabricError('CONFLICT', `'${name}' is a built-in tier-${tier} operation, so a module cannot take that name; choose another`, { name, tier })
  }
}

function codeOf(upload: ModuleUpload): { kind: ESMModule['kind']; entry?: string; bytes: Uint8Array } {
  if ('source' in upload) return { kind: 'esm', bytes: new TextEncoder().encode(upload.source) }
  const bytes = base64ToBytes(upload.wasm)
  if (!bytes) throw new FabricError('VALIDATION_ERROR', 'wasm must be padded standard base64 without whitespace')
  return { kind: 'wasm', entry: upload.entry, bytes }
}

export async function uploadModule(bindings: Env, tenantId: string, upload: ModuleUpload): Promise<ESMModule> {
  refuseBuiltinName(upload.name)
  const code = codeOf(upload)
  if (code.bytes.byteLength > MAX_MODULE_BYTES) {
    throw new FabricError('PAYLOAD_TOO_LARGE', `module code is ${code.bytes.byteLength} bytes; the limit is ${MAX_MODULE_BYTES} (keep data in fsx, not in the module)`)
  }
  const problem = await checkedProblem(bindings, tenantId, { name: upload.name, kind: code.kind, ...(code.entry ? { entry: code.entry } : {}) }, code.bytes)
  if (problem !== null) {
    throw new FabricError('MODULE_INVALID', `module '${upload.name}' was not stored: ${problem}`, { name: upload.name, kind: code.kind })
  }
  const module: ESMModule = {
    name: upload.name,
    hash: await sha256Hex(code.bytes),
    kind: code.kind,
    ...(code.entry ? { entry: code.entry } : {}),
    size: code.bytes.byteLength,
    createdAt: new Date().toISOString(),
    egress: [...new Set(upload.egress)],
    ...(upload.limits ? { limits: upload.limits } : {}),
  }
  await saveModule(bindings, tenantId, module, code.bytes)
  return module
}
