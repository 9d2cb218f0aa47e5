/**
 * Which sandbox backend this Worker uses: the `SANDBOX` Durable Object
 * namespace (`@cloudflare/sandbox`, production) when bound, else sandboxd at
 * `SANDBOX_URL` with `SANDBOXD_SECRET` (local dev, CI), else none — and why.
 */
import type { Env } from '../../env'
import { createCloudflareSandboxClient } from './cloudflare-adapter'
import type { SandboxClient } from './client'
import { createSandboxdClient } from './sandboxd-adapter'

export type SelectedClient = { ok: true; client: SandboxClient } | { ok: false; reason: string }

export function selectSandboxClient(bindings: Env, traceparent?: string): SelectedClient {
  if (bindings.SANDBOX) return { ok: true, client: createCloudflareSandboxClient(bindings.SANDBOX) }
  if (!bindings.SANDBOX_URL) {
    return { ok: false, reason: 'tier 4 has no sandbox: set SANDBOX_URL (sandboxd, local) or bind SANDBOX (@cloudflare/sandbox, production)' }
  }
  if (!bindings.SANDBOXD_SECRET) {
    return { ok: false, reason: 'SANDBOXD_SECRET is not set: add SANDBOXD_SECRET=<16+ random characters> to .dev.vars (sandboxd reads the same file)' }
  }
  return {
    ok: true,
    client: createSandboxdClient({ url: bindings.SANDBOX_URL, secret: bindings.SANDBOXD_SECRET, ...(traceparent ? { traceparent } : {}) }),
  }
}
