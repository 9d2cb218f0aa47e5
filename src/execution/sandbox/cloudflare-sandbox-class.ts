/**
 * The `Sandbox` Durable Object class of production tier 4 (bound as
 * `SANDBOX` in `[env.production]` of wrangler.toml, exported from
 * src/index.ts). It is the SDK's class with the container's internet access
 * switched off: deny by default, and the agent's egress allow-list is let
 * through with `setAllowedHosts` (cloudflare-adapter.ts). `ContainerProxy`
 * must be exported beside it for that outbound interception to work.
 */
import { Sandbox as SdkSandbox } from '@cloudflare/sandbox'
import type { Env } from '../../env'

export { ContainerProxy } from '@cloudflare/sandbox'

export class Sandbox extends SdkSandbox<Env> {
  override enableInternet = false
}
