/**
 * The policy engine: a tenant's policies compiled once into per-realm rule
 * lists already sorted by precedence, so a decision is a scan that stops at
 * the first rule that applies to the caller and matches the action.
 *
 * Precedence (total, so every decision is deterministic):
 *   1. higher policy `priority` wins;
 *   2. at equal priority the more specific attachment wins — agent and role
 *      (agent level) over workspace over tenant — which is what inheritance
 *      tenant → workspace → agent means: a lower level overrides what it inherits;
 *   3. then the more specific pattern: an exact pattern (no wildcard) over a
 *      glob, then more literal characters;
 *   4. then the stricter effect: deny over require_approval over allow;
 *   5. then policy id and rule position, only to make the choice of rule stable.
 * No matching rule → the tenant's default effect.
 * Several actions in one request: each is decided alone and the strictest
 * result wins (deny > require_approval > allow); the first such action is the
 * decision's `action`.
 */
import type { Policy, PolicyEffect, PolicyRule } from '../../types/fabric'
import type { GovernedKind } from '../core/ports'
import { compileGlob, type CompiledGlob } from './glob'
import type { PolicyConditions, StoredRule } from './policy-schema'

/** A policy whose rules were parsed by PolicyRuleSchema (so conditions are typed). */
export type ParsedPolicy = Omit<Policy, 'rules'> & { rules: StoredRule[] }

export interface PolicySubject {
  tenantId: string
  kind: GovernedKind
  principal: string
  agentId?: string
  sessionId?: string
  workspaceId?: string
  roles: readonly string[]
  /** Policies the agent's config names; they apply whatever their scope id. */
  attachedPolicyIds: readonly string[]
}

export interface ActionEvaluation {
  action: string
  effect: PolicyEffect
  policyId?: string
  ruleIndex?: number
  rule?: PolicyRule
  reason: string
}

export interface PolicyEvaluation {
  effect: PolicyEffect
  deciding: ActionEvaluation
  evaluations: ActionEvaluation[]
}

export interface CompiledPolicySet {
  readonly version: number
  readonly defaultEffect: PolicyEffect
  readonly ruleCount: number
  evaluate(actions: readonly string[], subject: PolicySubject): PolicyEvaluation
}

const LEVEL_RANK: Record<Policy['scope']['level'], number> = { tenant: 0, workspace: 1, agent: 2, role: 2 }
export const EFFECT_SEVERITY: Record<PolicyEffect, number> = { allow: 0, require_approval: 1, deny: 2 }

interface CompiledRule {
  policy: ParsedPolicy
  ruleIndex: number
  rule: StoredRule
  glob: CompiledGlob
  levelRank: number
}

function byPrecedence(a: CompiledRule, b: CompiledRule): number {
  return (
    b.policy.priority - a.policy.priority ||
    b.levelRank - a.levelRank ||
    Number(b.glob.exact) - Number(a.glob.exact) ||
    b.glob.literalCount - a.glob.literalCount ||
    EFFECT_SEVERITY[b.rule.effect] - EFFECT_SEVERITY[a.rule.effect] ||
    (a.policy.id < b.policy.id ? -1 : a.policy.id > b.policy.id ? 1 : 0) ||
    a.ruleIndex - b.ruleIndex
  )
}

/** The literal text before the first ':' of a pattern, when no wildcard comes first. */
function patternRealm(pattern: string): string | undefined {
  const colon = pattern.indexOf(':')
  if (colon < 0) return undefined
  const head = pattern.slice(0, colon)
  return /[*?\\]/.test(head) ? undefined : head
}

function actionRealm(action: string): string {
  const colon = action.indexOf(':')
  return colon < 0 ? action : action.slice(0, colon)
}

function attachedTo(policy: ParsedPolicy, subject: PolicySubject): boolean {
  if (subject.attachedPolicyIds.includes(policy.id)) return true
  switch (policy.scope.level) {
    case 'tenant':
      return true
    case 'workspace':
      return subject.workspaceId === policy.scope.id
    case 'agent':
      return subject.agentId === policy.scope.id
    case 'role':
      return subject.roles.includes(policy.scope.id)
  }
}

function oneOf(allowed: readonly string[] | undefined, value: string | undefined): boolean {
  return allowed === undefined || (value !== undefined && allowed.includes(value))
}

function conditionsHold(conditions: PolicyConditions | undefined, subject: PolicySubject): boolean {
  if (!conditions) return true
  return (
    oneOf(conditions.kinds, subject.kind) &&
    oneOf(conditions.agentIds, subject.agentId) &&
    oneOf(conditions.sessionIds, subject.sessionId) &&
    oneOf(conditions.principals, subject.principal)
  )
}

export function compilePolicySet(
  policies: readonly ParsedPolicy[],
  options: { version: number; defaultEffect: PolicyEffect },
): CompiledPolicySet {
  const universal: CompiledRule[] = []
  const byRealm = new Map<string, CompiledRule[]>()
  for (const policy of policies) {
    policy.rules.forEach((rule, ruleIndex) => {
      const compiled = { policy, ruleIndex, rule, glob: compileGlob(rule.actionPattern), levelRank: LEVEL_RANK[policy.scope.level] }
      const realm = patternRealm(rule.actionPattern)
      if (realm === undefined) universal.push(compiled)
      else byRealm.set(realm, [...(byRealm.get(realm) ?? []), compiled])
    })
  }
  universal.sort(byPrecedence)
  const ordered = new Map<string, CompiledRule[]>()
  for (const [realm, rules] of byRealm) ordered.set(realm, [...rules, ...universal].sort(byPrecedence))

  function evaluateOne(action: string, subject: PolicySubject): ActionEvaluation {
    const candidates = ordered.get(actionRealm(action)) ?? universal
    for (const candidate of candidates) {
      if (!attachedTo(candidate.policy, subject)) continue
      if (!conditionsHold(candidate.rule.conditions, subject)) continue
      if (!candidate.glob.matches(action)) continue
      return {
        action,
        effect: candidate.rule.effect,
        policyId: candidate.policy.id,
        ruleIndex: candidate.ruleIndex,
        rule: candidate.rule,
        reason: `rule ${candidate.ruleIndex} of policy ${candidate.policy.id} (${candidate.policy.scope.level}, priority ${candidate.policy.priority}) matched "${candidate.rule.actionPattern}"`,
      }
    }
    return { action, effect: options.defaultEffect, reason: `no rule matched; tenant default is ${options.defaultEffect}` }
  }

  return {
    version: options.version,
    defaultEffect: options.defaultEffect,
    ruleCount: universal.length + [...byRealm.values()].reduce((n, rules) => n + rules.length, 0),
    evaluate(actions, subject) {
      if (actions.length === 0) {
        const deciding: ActionEvaluation = { action: '', effect: 'deny', reason: 'the request named no actions to decide; refused (fail closed)' }
        return { effect: 'deny', deciding, evaluations: [] }
      }
      const evaluations = actions.map((action) => evaluateOne(action, subject))
      let deciding = evaluations[0] as ActionEvaluation
      for (const evaluation of evaluations) {
        if (EFFECT_SEVERITY[evaluation.effect] > EFFECT_SEVERITY[deciding.effect]) deciding = evaluation
      }
      return { effect: deciding.effect, deciding, evaluations }
    },
  }
}
