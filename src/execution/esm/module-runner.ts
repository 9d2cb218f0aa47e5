/**
 * One call of a module: its (possibly warm) isolate, a scoped fsx stub, the
 * ModuleContext data, and a wall-clock deadline — min(limits.wallMs,
 * timeoutMs) — after which the fabric stops waiting. Local workerd does not
 * enforce `limits.cpuMs`, and a busy loop in the module blocks this isolate's
 * timers too, so locally the deadline bounds only asynchronous work.
 */
import type { ESMModule } from '../../../types/execution'
import type { ExecCall } from '../executor'
import { Deadline } from '../native/deadline'
import { releaseRpcResult } from '../rpc/release'
import { isolateId, moduleRunner, workerCode } from './module-isolate'
import { ModuleOutcomeSchema, type ModuleOutcome, type RunRequest } from './module-outcome'
import { loadCode, type ModuleStoreBindings } from './module-store'
import { ScopedModuleFs } from './scoped-fs'

export function wallMs(call: ExecCall, module: ESMModule): number {
  return Math.min(module.limits?.wallMs ?? call.options.timeoutMs, call.options.timeoutMs)
}

/**
 * Runs the module and parses its isolate's answer. Throws DeadlineReached
 * (timeout or cancellation), ModuleCodeMissing, or the loader's error when
 * the isolate could not run at all.
 */
export async function callModule(
  call: ExecCall,
  module: ESMModule,
  loader: WorkerLoader,
  store: ModuleStoreBindings,
  request: RunRequest,
): Promise<ModuleOutcome> {
  const tenantId = call.options.tenantId
  const id = await isolateId(tenantId, module)
  const runner = moduleRunner(loader, id, async () => workerCode(tenantId, module, await loadCode(store, module.hash)), module.limits)
  // WASM modules get args only; the fs stub is for ESM modules' ctx.fs.
  const fs = module.kind === 'esm' ? new ScopedModuleFs(call.fs) : undefined
  const deadline = new Deadline(wallMs(call, module), call.options.signal)
  let answer: unknown
  try {
    answer = await deadline.race(Promise.resolve(runner.run(request, fs)))
  } finally {
    deadline.dispose()
  }
  try {
    return ModuleOutcomeSchema.parse(answer)
  } finally {
    releaseRpcResult(answer)
  }
}
