/**
 * `createGovernance(env)`: the Governance port the agent Durable Object calls
 * on the governed path — one policy decision per execution, refused first if
 * a kill switch is active (audited before it is returned), then an approval
 * when the decision asks for one.
 */
import type { PolicyDecision, PolicyEffect } from '../../types/fabric'
import type { Env } from '../env'
import { newId } from '../core/ids'
import type { ApprovalTicket, GovernedRequest, Governance } from '../core/ports'
import { ApprovalStore } from './approvals'
import { metrics } from '../telemetry/metrics/recorder'
import { recordSpan } from '../telemetry/spans'
import { referenceRecords } from './provenance'
import { decisionRecord } from './audit'
import { recordStatements, type D1Record } from '../wal/records'
import { KillSwitchStore, killSwitchError } from './kill-switch'
import { PushedGovernanceState, type GovernanceSnapshot } from './pushed-state'
import type { CompiledPolicySet, PolicySubject } from './policy-engine'
import { PolicyEffectSchema } from './policy-schema'
import { FALLBACK_DEFAULT_EFFECT, PolicyStore } from './policy-store'

export interface GovernanceServices extends Governance {
  /** The tenant's compiled policy set as the next decision would use it: the agent's pushed set for its own scope, else read from D1. */
  policySet(tenantId: string, agentId: string | undefined): Promise<CompiledPolicySet>
  policies: PolicyStore
  approvals: ApprovalStore
  killSwitches: KillSwitchStore
}

/** The deployment-wide default effect (env POLICY_DEFAULT_EFFECT); anything unset or unknown is deny. */
export function deploymentDefaultEffect(env: Pick<Env, 'POLICY_DEFAULT_EFFECT'>): PolicyEffect {
  const parsed = PolicyEffectSchema.safeParse(env.POLICY_DEFAULT_EFFECT)
  return parsed.success ? parsed.data : FALLBACK_DEFAULT_EFFECT
}

export function subjectOf(request: GovernedRequest): PolicySubject {
  const { ctx, subject } = request
  return {
    tenantId: ctx.tenantId,
    kind: request.kind,
    principal: ctx.principal,
    roles: subject?.roles ?? [],
    attachedPolicyIds: subject?.policyIds ?? [],
    ...(ctx.agentId ? { agentId: ctx.agentId } : {}),
    ...(ctx.sessionId ? { sessionId: ctx.sessionId } : {}),
    ...(subject?.workspaceId ? { workspaceId: subject.workspaceId } : {}),
  }
}

/** An agent's object deciding for itself: its state is read once and then pushed (pushed-state.ts). */
export interface AgentScope {
  /** The agent deciding, once spawned. */
  owner(): { tenantId: string; agentId: string } | undefined
  /** Resolves once the agent's directory row is written, so a kill switch thrown after its load finds it. */
  beforeLoad(): Promise<void>
  /**
   * Keeps a decision's audit rows in the agent's outbox (synchronously, durable before its answer);
   * they reach D1 with its next WAL flush, so no decision waits for D1.
   */
  keep(records: D1Record[]): void
}

export function createGovernance(
  env: Pick<Env, 'DB' | 'POLICY_DEFAULT_EFFECT'> & Partial<Pick<Env, 'METRICS' | 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_HEADERS' | 'FABRIC_VERSION'>>,
  agent?: AgentScope,
): GovernanceServices {
  const policies = new PolicyStore(env.DB, deploymentDefaultEffect(env))
  const approvals = new ApprovalStore(env.DB)
  const killSwitches = new KillSwitchStore(env.DB)
  /** Two independent D1 reads, so a load waits for one round trip, not two. */
  const readState = async (tenantId: string, agentId: string | undefined): Promise<GovernanceSnapshot> => {
    const [killSwitch, loaded] = await Promise.allSettled([killSwitches.activeFor(tenantId, agentId), policies.current(tenantId)])
    if (killSwitch.status === 'rejected') throw killSwitch.reason
    if (loaded.status === 'rejected') throw loaded.reason
    return { killSwitch: killSwitch.value, policies: loaded.value }
  }

  const pushed = agent
    ? new PushedGovernanceState(agent.beforeLoad, async () => {
        const owner = agent.owner()
        if (!owner) throw new Error('an agent decides only once it is spawned')
        return readState(owner.tenantId, owner.agentId)
      })
    : undefined
  const ownState = (tenantId: string, agentId: string | undefined) => {
    const owner = agent?.owner()
    return pushed && owner?.tenantId === tenantId && owner.agentId === agentId ? pushed : undefined
  }

  return {
    policies,
    approvals,
    killSwitches,
    stateChanged: () => pushed?.invalidate(),
    policySet: async (tenantId, agentId) => {
      const own = ownState(tenantId, agentId)
      return own ? (await own.snapshot()).policies : policies.current(tenantId)
    },
    assertNotKilled: (scope) => killSwitches.assertNotKilled(scope.tenantId, scope.agentId),

    async decide(request: GovernedRequest): Promise<PolicyDecision> {
      const startMs = Date.now()
      const { tenantId, agentId } = request.ctx
      // The kill switch wins over anything the policy says.
      const own = ownState(tenantId, agentId)
      const { killSwitch, policies: set } = own ? await own.snapshot() : await readState(tenantId, agentId)
      if (killSwitch) throw killSwitchError(killSwitch, tenantId, agentId)
      const evaluation = set.evaluate(request.actions, subjectOf(request))
      const { deciding } = evaluation
      const decision: PolicyDecision = {
        decisionId: newId('dec'),
        effect: evaluation.effect,
        action: deciding.action,
        reason: deciding.reason,
        ...(deciding.policyId ? { matchedPolicyId: deciding.policyId } : {}),
        ...(deciding.rule ? { matchedRule: deciding.rule } : {}),
      }
      const audit = decisionRecord({
        decision,
        request,
        evaluations: evaluation.evaluations,
        policyVersion: set.version,
        decidedAt: new Date().toISOString(),
        ...(deciding.ruleIndex !== undefined ? { ruleIndex: deciding.ruleIndex } : {}),
      })
      // An accepted execution registers the data it will read and write (references only) with its audit row.
      const references =
        decision.effect === 'deny'
          ? []
          : referenceRecords(request.ctx.tenantId, request.ctx.executionId, request.actions, {
              kind: request.kind,
              decisionId: decision.decisionId,
              ...(request.ctx.agentId ? { agentId: request.ctx.agentId } : {}),
            })
      // An agent deciding for itself keeps the rows in its outbox; anything else writes them before it answers.
      if (own && agent) agent.keep([audit, ...references])
      else await env.DB.batch(recordStatements(env.DB, [audit, ...references]))
      // Telemetry: agent_fabric_policy_decisions_total{decision} (METRICS is absent only in unit tests of governance alone), and a span.
      if (env.METRICS) metrics({ METRICS: env.METRICS }).count('agent_fabric_policy_decisions_total', { tenant_id: request.ctx.tenantId, decision: decision.effect })
      recordSpan(env, {
        name: 'policy.decide',
        kind: 'internal',
        parent: request.ctx.trace.traceparent,
        startMs,
        endMs: Date.now(),
        attributes: { 'fabric.decision': decision.effect, 'fabric.action': decision.action, 'fabric.decision_id': decision.decisionId, 'fabric.policy_version': set.version },
      })
      return decision
    },

    requestApproval: (request, decision, task): Promise<ApprovalTicket> => approvals.create(request, decision, task),
    // The agent's alarm fails its own parked tasks; this records the expiry where GET /v1/approvals reads it.
    expireApprovals: async (tenantId, at) => {
      await approvals.expireOverdue(tenantId, new Date(at))
    },
  }
}
