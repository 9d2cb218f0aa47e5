/**
 * Egress grants (issue 16): an agent's `isolation.networkEgress` and a
 * module's `egress` open the network, so each entry is a policy action
 * `net:<host>:<port>` decided like any other (audited, kill switch first),
 * with two rules on top:
 *
 * 1. an internal destination — loopback, private, CGNAT, link-local,
 *    multicast, unspecified, by name or by an IP literal in any notation —
 *    is refused (EGRESS_DENIED) unless the operator named that host in
 *    EGRESS_ALLOW_INTERNAL_HOSTS. What a *name* resolves to is checked where
 *    the connection is made (sandboxd's proxy; Cloudflare's fetch in production).
 * 2. the tenant's default effect does not grant network to an `agent`-scope
 *    token: an allow needs a policy rule naming the action (which only an
 *    admin can write), or an admin caller.
 */
import { internalKind, operatorAllows, parseInternalAllowList } from '../../sandboxd/egress/address'
import type { Env } from '../env'
import { createExecutionContext } from '../core/context'
import { FabricError } from '../../types/errors'
import { netAction } from '../core/policy-actions'
import type { TraceContext } from '../core/trace'
import type { GovernedRequest } from '../core/ports'
import { createGovernance, subjectOf } from './governance'

export interface EgressGrant {
  tenantId: string
  principal: string
  /** The caller holds the admin scope. */
  admin: boolean
  trace: TraceContext
  agentId?: string
  /** `sandbox` entries without a port mean 80 and 443; `module` entries without a port mean any port. */
  kind: 'sandbox' | 'module'
  entries: readonly string[]
}

interface Destination {
  host: string
  ports: string[]
}

function destinationOf(entry: string, kind: EgressGrant['kind']): Destination {
  const text = entry.trim().toLowerCase()
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text)
  const bareV6 = !bracketed && (text.match(/:/g) ?? []).length > 1
  const plain = /^(.*?)(?::(\d{1,5}))?$/.exec(text)
  const host = bracketed?.[1] ?? (bareV6 ? text : (plain?.[1] ?? text))
  const port = bracketed ? bracketed[2] : bareV6 ? undefined : plain?.[2]
  const ports = port !== undefined ? [port] : kind === 'sandbox' ? ['80', '443'] : ['*']
  return { host, ports }
}

/** Refuses internal destinations the operator did not open; answers the policy actions of the others. */
export function egressActions(env: Pick<Env, 'EGRESS_ALLOW_INTERNAL_HOSTS'>, kind: EgressGrant['kind'], entries: readonly string[]): string[] {
  const operatorList = parseInternalAllowList(env.EGRESS_ALLOW_INTERNAL_HOSTS)
  const actions: string[] = []
  for (const entry of entries) {
    const { host, ports } = destinationOf(entry, kind)
    const named = host.replace(/^\*\./, '')
    const internal = internalKind(named)
    if (internal !== null && !operatorAllows(operatorList, named)) {
      throw new FabricError(
        'EGRESS_DENIED',
        `egress to '${entry}' is refused: ${named} is ${internal === 'reserved' ? 'not a public host' : `a ${internal} address`}; only the operator can open internal hosts (EGRESS_ALLOW_INTERNAL_HOSTS)`,
        { entry, kind: internal },
      )
    }
    for (const port of ports) actions.push(netAction(`${host}:${port}`))
  }
  return actions
}

/** Throws unless every entry of the grant is allowed; nothing to decide for an empty list. */
export async function assertEgressGranted(env: Env, grant: EgressGrant): Promise<void> {
  if (grant.entries.length === 0) return
  const actions = egressActions(env, grant.kind, grant.entries)
  const ctx = createExecutionContext({
    tenantId: grant.tenantId,
    principal: grant.principal,
    trace: grant.trace,
    ...(grant.agentId ? { agentId: grant.agentId } : {}),
  })
  const governance = createGovernance(env)
  const request: GovernedRequest = { ctx, kind: 'grant', actions, summary: { grant: grant.kind, entries: grant.entries } }
  const decision = await governance.decide(request)
  if (decision.effect === 'deny') {
    throw new FabricError('POLICY_DENIED', `policy denies ${decision.action}: ${decision.reason}`, { decisionId: decision.decisionId })
  }
  if (decision.effect === 'require_approval') {
    throw new FabricError('EGRESS_NOT_GRANTED', `${decision.action} needs approval, and a grant cannot wait for one: ask an admin for a policy rule allowing it`, {
      decisionId: decision.decisionId,
    })
  }
  if (grant.admin) return
  // Every action, not only the deciding one, must be allowed by a rule rather than by the default.
  const set = await governance.policies.current(grant.tenantId)
  const byDefault = set.evaluate(actions, subjectOf(request)).evaluations.find((evaluation) => evaluation.policyId === undefined)
  if (byDefault) {
    throw new FabricError(
      'EGRESS_NOT_GRANTED',
      `no policy rule allows ${byDefault.action}; the tenant default does not open the network to an agent token: an admin must add a policy rule allowing it (or grant it with an admin token)`,
      { action: byDefault.action, decisionId: decision.decisionId },
    )
  }
}
