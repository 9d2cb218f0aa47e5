/**
 * The only way out of a dynamic module's isolate. A module with an egress
 * allow-list gets this entrypoint as its `globalOutbound`, so every fetch()
 * it makes arrives here first; a request to a host not on the list is refused
 * with 403 before any network is touched. A module without a list gets
 * `globalOutbound: null` and cannot fetch at all. Sockets (connect()) are
 * never offered. Exported from src/index.ts so `exports.EgressGateway(...)`
 * can stamp the allow-list into `props`.
 */
import { WorkerEntrypoint } from 'cloudflare:workers'
import type { Env } from '../../env'
import { internalKind, operatorAllows, parseInternalAllowList } from '../../../sandboxd/egress/address'

export interface EgressProps {
  /** Hosts the module declared (`host` or `host:port`), lower-case. */
  allow: string[]
  /** For the refusal message and logs. */
  module: string
  tenantId: string
}

/** Whether `url` may be fetched under `allow`: http(s) only, `host` matches any port, `host:port` that port. */
export function egressAllowed(url: URL, allow: readonly string[]): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return allow.some((entry) => entry === url.hostname || entry === `${url.hostname}:${port}`)
}

export class EgressGateway extends WorkerEntrypoint<Env, EgressProps> {
  override async fetch(request: Request): Promise<Response> {
    const { allow, module, tenantId } = this.ctx.props
    const url = new URL(request.url)
    // A grant cannot name an internal host (src/governance/egress-grant.ts); this holds for modules stored before that rule too.
    const internal = internalKind(url.hostname) !== null && !operatorAllows(parseInternalAllowList(this.env.EGRESS_ALLOW_INTERNAL_HOSTS), url.hostname)
    if (internal || !egressAllowed(url, allow)) {
      console.log(JSON.stringify({ level: 'warn', msg: 'egress refused', module, tenantId, host: url.host }))
      return new Response(`egress to ${url.host} is not allowed for module '${module}'; allowed: ${allow.join(', ') || 'none'}\n`, {
        status: 403,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'x-fabric-egress': 'refused' },
      })
    }
    return fetch(request)
  }
}
