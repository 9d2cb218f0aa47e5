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
import { referenceStatements } from './provenance'
import { decisionStatement } from './audit'
import { KillSwitchStore } from './kill-switch'
import type { PolicySubject } from './policy-engine'
import { PolicyEffectSchema } from './policy-schema'
import { FALLBACK_DEFAULT_EFFECT, PolicyStore } from './policy-store'

export interface GovernanceServices extends Governance {
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

export function createGovernance(
  env: Pick<Env, 'DB' | 'POLICY_DEFAULT_EFFECT'> & Partial<Pick<Env, 'METRICS' | 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_HEADERS' | 'FABRIC_VERSION'>>,
): GovernanceServices {
  const policies = new PolicyStore(env.DB, deploymentDefaultEffect(env))
  const approvals = new ApprovalStore(env.DB)
  const killSwitches = new KillSwitchStore(env.DB)

  return {
    policies,
    approvals,
    killSwitches,
    assertNotKilled: (scope) => killSwitches.assertNotKilled(scope.tenantId, scope.agentId),

    async decide(request: GovernedRequest): Promise<PolicyDecision> {
      const startMs = Date.now()
      const { tenantId, agentId } = request.ctx
      // Two independent D1 reads, so acceptance waits for one round trip, not two; the kill switch still wins over anything the policy says.
      const [killSwitch, loaded] = await Promise.allSettled([killSwitches.assertNotKilled(tenantId, agentId), policies.current(tenantId)])
      if (killSwitch.status === 'rejected') throw killSwitch.reason
      if (loaded.status === 'rejected') throw loaded.reason
      const set = loaded.value
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
      const audit = decisionStatement(env.DB, {
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
          : referenceStatements(env.DB, request.ctx.tenantId, request.ctx.executionId, request.actions, {
              kind: request.kind,
              decisionId: decision.decisionId,
              ...(request.ctx.agentId ? { agentId: request.ctx.agentId } : {}),
            })
      await env.DB.batch([audit, ...references])
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
