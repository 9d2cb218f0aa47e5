import type { D1Migration } from 'cloudflare:test'
import type { Env as FabricEnv } from '../src/env'

declare global {
  namespace Cloudflare {
    /** Types `exports` from cloudflare:workers as the fabric's own exports. */
    interface GlobalProps {
      mainModule: typeof import('../src/index')
    }
    interface Env extends FabricEnv {
      TEST_MIGRATIONS: D1Migration[]
      /** test/fixtures/rpc-client.js: a second Worker bound to FabricEntrypoint. */
      RPC_CLIENT: Fetcher
      /** The README's service-binding example's binding: this Worker's own FabricEntrypoint (test/examples). */
      FABRIC: Service<import('../src/rpc/entrypoint').FabricEntrypoint>
      /** test/fixtures/stalled-service.js: a tier-2 service that answers only after a minute. */
      STALLED_SERVICE: FabricEnv['SVC_JQ'] & {}
      /** A D1 only the global kill-switch test writes (test/governance/governance.test.ts). */
      GLOBAL_SWITCH_DB: D1Database
    }
  }
}
