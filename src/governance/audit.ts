/**
 * The policy decision audit (FR-POL-5): one D1 row per decision with its id,
 * the deciding action and rule, every per-action evaluation, the redacted
 * inputs and the policy version it was made under.
 */
import type { PolicyDecision } from '../../types/fabric'
import type { GovernedRequest } from '../core/ports'
import { stringifyRedacted } from '../telemetry/redact'
import type { ActionEvaluation } from './policy-engine'
import type { D1Record } from '../wal/records'

export interface AuditRecord {
  decision: PolicyDecision
  request: GovernedRequest
  evaluations: ActionEvaluation[]
  ruleIndex?: number
  policyVersion: number
  decidedAt: string
}

export interface AuditedDecision {
  decisionId: string
  executionId: string
  agentId?: string
  kind: string
  action: string
  effect: string
  policyId?: string
  ruleIndex?: number
  reason: string
  policyVersion: number
  inputs: Record<string, unknown>
  evaluations: Array<Omit<ActionEvaluation, 'rule'>>
  decidedAt: string
}

interface AuditRow {
  id: string
  execution_id: string
  agent_id: string | null
  kind: string
  action: string
  effect: string
  policy_id: string | null
  rule_index: number | null
  reason: string
  policy_version: number
  inputs: string
  evaluations: string
  decided_at: string
}

function withoutRule({ rule: _rule, ...rest }: ActionEvaluation): Omit<ActionEvaluation, 'rule'> {
  return rest
}

/** The audit row of a decision, as a D1 record: written by the agent's outbox with its WAL, or at once by the caller. */
export function decisionRecord(record: AuditRecord): D1Record {
  const { decision, request } = record
  return {
    table: 'policy_decisions',
    values: [
      decision.decisionId,
      request.ctx.tenantId,
      request.ctx.executionId,
      request.ctx.agentId ?? null,
      request.kind,
      decision.action,
      decision.effect,
      decision.matchedPolicyId ?? null,
      record.ruleIndex ?? null,
      decision.reason,
      record.policyVersion,
      stringifyRedacted({ actions: request.actions, summary: request.summary, principal: request.ctx.principal }),
      stringifyRedacted(record.evaluations.map(withoutRule)),
      record.decidedAt,
    ],
  }
}

export async function listDecisions(db: D1Database, tenantId: string, filter: { executionId?: string; limit: number }): Promise<AuditedDecision[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM policy_decisions WHERE tenant_id = ?1 AND (?2 IS NULL OR execution_id = ?2)
       ORDER BY decided_at DESC, id LIMIT ?3`,
    )
    .bind(tenantId, filter.executionId ?? null, filter.limit)
    .all<AuditRow>()
  return results.map((row) => ({
    decisionId: row.id,
    executionId: row.execution_id,
    kind: row.kind,
    action: row.action,
    effect: row.effect,
    reason: row.reason,
    policyVersion: row.policy_version,
    inputs: JSON.parse(row.inputs) as Record<string, unknown>,
    evaluations: JSON.parse(row.evaluations) as AuditedDecision['evaluations'],
    decidedAt: row.decided_at,
    ...(row.agent_id ? { agentId: row.agent_id } : {}),
    ...(row.policy_id ? { policyId: row.policy_id } : {}),
    ...(row.rule_index !== null ? { ruleIndex: row.rule_index } : {}),
  }))
}
