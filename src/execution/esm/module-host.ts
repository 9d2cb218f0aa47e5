/**
 * Local dev: tier-3 isolates in a workerd process of their own.
 *
 * In one local workerd, a module's busy loop holds the thread the fabric runs
 * on, so every tenant's requests wait until workerd is killed (issue 16,
 * finding 6). `npm run dev` therefore starts a second wrangler for
 * services/module-host (the Worker Loader lives there) and sets
 * TIER3_HOST=process; the fabric then reaches the module host over a service
 * binding (RPC through wrangler's dev registry) and its own timers keep
 * running while a module spins: the call answers TIMEOUT at its deadline and
 * the dev script restarts the host once it stops answering its health check.
 * In production and in the workerd test suite TIER3_HOST is unset and the
 * fabric uses its own LOADER binding (Cloudflare enforces `cpuMs` there).
 */
import type { ESMModule } from '../../../types/execution'
import type { Env } from '../../env'
import type { RunRequest } from './module-outcome'
import type { ScopedModuleFs } from './scoped-fs'

/** A module as the host needs it to build the isolate (everything but timestamps). */
export type HostedModule = Pick<ESMModule, 'name' | 'hash' | 'kind' | 'entry' | 'egress' | 'limits'>

/** The RPC surface of `ModuleHost` (services/module-host/src/index.ts). */
export interface ModuleHostRpc extends Rpc.WorkerEntrypointBranded {
  /** Runs the module in its (possibly warm) isolate; `code` is called only for a cold one. */
  run(tenantId: string, module: HostedModule, code: () => Promise<Uint8Array>, request: RunRequest, fs?: ScopedModuleFs): Promise<unknown>
  /** Why the code could never run, or null (the upload check). */
  check(tenantId: string, module: Pick<ESMModule, 'name' | 'kind' | 'entry'>, code: Uint8Array): Promise<string | null>
}

/** The module host when this fabric runs tier 3 out of process, else undefined (use LOADER). */
export function moduleHost(env: Pick<Env, 'TIER3_HOST' | 'MODULE_HOST'>): Fetcher<ModuleHostRpc> | undefined {
  return env.TIER3_HOST === 'process' ? env.MODULE_HOST : undefined
}

/** How long an upload check may take in the module host before the upload is refused (a top-level busy loop). */
export const HOSTED_CHECK_MS = 10_000
