/** The HTTP side of egress grants (src/governance/egress-grant.ts): who asks, from the request's auth and trace. */
import type { Context } from 'hono'
import { assertEgressGranted, type EgressGrant } from '../governance/egress-grant'
import type { AppEnv } from './app-env'

export function assertCallerMayGrant(c: Context<AppEnv>, kind: EgressGrant['kind'], entries: readonly string[], agentId?: string): Promise<void> {
  const auth = c.get('auth')
  return assertEgressGranted(c.env, {
    tenantId: auth.tenantId,
    principal: auth.tokenId,
    admin: auth.scopes.includes('admin'),
    trace: c.get('trace'),
    kind,
    entries,
    ...(agentId ? { agentId } : {}),
  })
}
