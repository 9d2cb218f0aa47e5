/**
 * The module host (local dev): tier-3 isolates run in this Worker's workerd,
 * a process apart from the fabric's (src/execution/esm/module-host.ts says
 * why). It builds each isolate exactly as the fabric would in process — the
 * same id, runner, memory meter, empty env and egress gateway — and calls it
 * with the fs stub the fabric passed. `GET /` answers the dev script's
 * health check, which restarts this process when a module holds it.
 */
import { WorkerEntrypoint } from 'cloudflare:workers'
import { isolateId, moduleRunner, workerCode } from '../../../src/execution/esm/module-isolate'
import { moduleProblem } from '../../../src/execution/esm/module-validation'
import type { HostedModule, ModuleHostRpc } from '../../../src/execution/esm/module-host'
import type { RunRequest } from '../../../src/execution/esm/module-outcome'
import type { ScopedModuleFs } from '../../../src/execution/esm/scoped-fs'
import type { ESMModule } from '../../../types/execution'

// Modules with egress get `exports.EgressGateway` of this Worker as their globalOutbound.
export { EgressGateway } from '../../../src/execution/esm/egress-gateway'

interface HostEnv {
  LOADER: WorkerLoader
  EGRESS_ALLOW_INTERNAL_HOSTS?: string
}

export class ModuleHost extends WorkerEntrypoint<HostEnv> implements Omit<ModuleHostRpc, keyof Rpc.WorkerEntrypointBranded> {
  async run(tenantId: string, module: HostedModule, code: () => Promise<Uint8Array>, request: RunRequest, fs?: ScopedModuleFs): Promise<unknown> {
    const id = await isolateId(tenantId, module)
    return moduleRunner(this.env.LOADER, id, async () => workerCode(tenantId, module, await code()), module.limits).run(request, fs)
  }

  check(tenantId: string, module: Pick<ESMModule, 'name' | 'kind' | 'entry'>, code: Uint8Array): Promise<string | null> {
    return moduleProblem(this.env.LOADER, tenantId, module, code)
  }
}

export default {
  fetch: () => new Response('module host up\n'),
}
