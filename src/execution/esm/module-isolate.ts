/**
 * A module's isolate from the Worker Loader. The isolate id starts with the
 * code's sha-256 and ends with a digest of everything else baked into the
 * isolate (tenant, kind, entry, egress, memory ceiling), so one id always means the same code
 * under the same rules, and the loader may keep it warm between calls. The
 * code is read from R2 only when the loader starts a cold isolate.
 *
 * No bindings go into the isolate's env: the module reaches fsx only through
 * the stub each call passes, and the network only through `globalOutbound`,
 * which is null (no network) unless the module declared egress hosts.
 */
import { exports } from 'cloudflare:workers'
import type { ESMModule } from '../../../types/execution'
import type { ScopedModuleFs } from './scoped-fs'
import { isolateModules, RUNNER_ENTRYPOINT, RUNNER_MODULE } from './isolate-runtime'
import { sha256Hex } from '../../core/digest'
import { ceilingBytes } from './memory-meter'
import type { RunRequest } from './module-outcome'

/** Pinned like the fabric's own compatibility_date. */
export const MODULE_COMPATIBILITY_DATE = '2026-10-01'

/** The RPC surface of `ModuleRunner` inside the isolate (see isolate-runtime.ts). */
export interface ModuleRunnerRpc extends Rpc.WorkerEntrypointBranded {
  run(request: RunRequest, fs?: ScopedModuleFs): Promise<unknown>
  check(): Promise<unknown>
}

export async function isolateId(tenantId: string, module: Pick<ESMModule, 'hash' | 'kind' | 'entry' | 'egress' | 'limits'>): Promise<string> {
  const config = JSON.stringify([tenantId, module.kind, module.entry ?? null, [...module.egress].sort(), ceilingBytes(module.limits)])
  const digest = await sha256Hex(new TextEncoder().encode(config))
  return `${module.hash}:${digest.slice(0, 16)}`
}

function outbound(tenantId: string, module: Pick<ESMModule, 'name' | 'egress'>): Fetcher | null {
  if (module.egress.length === 0) return null
  return exports.EgressGateway({ props: { allow: module.egress, module: module.name, tenantId } })
}

export function workerCode(tenantId: string, module: Pick<ESMModule, 'name' | 'kind' | 'entry' | 'egress' | 'limits'>, code: Uint8Array): WorkerLoaderWorkerCode {
  return {
    compatibilityDate: MODULE_COMPATIBILITY_DATE,
    mainModule: RUNNER_MODULE,
    modules: isolateModules(module, code),
    env: {},
    globalOutbound: outbound(tenantId, module),
  }
}

/** The module's runner in its isolate, with the module's per-call limits. */
export function moduleRunner(
  loader: WorkerLoader,
  id: string,
  code: () => Promise<WorkerLoaderWorkerCode>,
  limits: ESMModule['limits'],
): Fetcher<ModuleRunnerRpc> {
  const perCall: workerdResourceLimits = {}
  if (limits?.cpuMs !== undefined) perCall.cpuMs = limits.cpuMs
  if (limits?.subRequests !== undefined) perCall.subRequests = limits.subRequests
  const options = Object.keys(perCall).length > 0 ? { limits: perCall } : undefined
  return loader.get(id, code).getEntrypoint<ModuleRunnerRpc>(RUNNER_ENTRYPOINT, options)
}
