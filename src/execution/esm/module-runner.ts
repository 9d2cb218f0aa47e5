/**
 * One call of a module: its (possibly warm) isolate, a scoped fsx stub, the
 * ModuleContext data, and a wall-clock deadline — min(limits.wallMs,
 * timeoutMs) — after which the fabric stops waiting. Local workerd does not
 * enforce `limits.cpuMs`: with the isolates in this workerd a busy loop blocks
 * the fabric's timers too, which is why `npm run dev` runs them in the module
 * host's process (module-host.ts), where the deadline holds.
 */
import type { ESMModule } from '../../../types/execution'
import type { ExecCall } from '../executor'
import { Deadline } from '../native/deadline'
import { releaseRpcResult } from '../rpc/release'
import { isolateId, moduleRunner, workerCode } from './module-isolate'
import { ModuleOutcomeSchema, type ModuleOutcome, type RunRequest } from './module-outcome'
import { loadCode, type ModuleStoreBindings } from './module-store'
import { ScopedModuleFs } from './scoped-fs'
import type { ModuleHostRpc } from './module-host'

export function wallMs(call: ExecCall, module: ESMModule): number {
  return Math.min(module.limits?.wallMs ?? call.options.timeoutMs, call.options.timeoutMs)
}

/** Where a module's isolates come from: this workerd's Worker Loader, or the module host's (module-host.ts). */
export type ModuleIsolates = { loader: WorkerLoader } | { host: Fetcher<ModuleHostRpc> }

async function startRun(isolates: ModuleIsolates, tenantId: string, module: ESMModule, store: ModuleStoreBindings, request: RunRequest, fs?: ScopedModuleFs): Promise<unknown> {
  if ('host' in isolates) {
    const { name, hash, kind, entry, egress, limits } = module
    return isolates.host.run(tenantId, { name, hash, kind, entry, egress, limits }, () => loadCode(store, module.hash), request, fs)
  }
  const id = await isolateId(tenantId, module)
  return moduleRunner(isolates.loader, id, async () => workerCode(tenantId, module, await loadCode(store, module.hash)), module.limits).run(request, fs)
}

/**
 * Runs the module and parses its isolate's answer. Throws DeadlineReached
 * (timeout or cancellation), ModuleCodeMissing, or the loader's error when
 * the isolate could not run at all.
 */
export async function callModule(
  call: ExecCall,
  module: ESMModule,
  isolates: ModuleIsolates,
  store: ModuleStoreBindings,
  request: RunRequest,
): Promise<ModuleOutcome> {
  // WASM modules get args only; the fs stub is for ESM modules' ctx.fs.
  const fs = module.kind === 'esm' ? new ScopedModuleFs(call.fs) : undefined
  const deadline = new Deadline(wallMs(call, module), call.options.signal)
  let answer: unknown
  try {
    answer = await deadline.race(startRun(isolates, call.options.tenantId, module, store, request, fs))
  } finally {
    deadline.dispose()
  }
  try {
    return ModuleOutcomeSchema.parse(answer)
  } finally {
    releaseRpcResult(answer)
  }
}
