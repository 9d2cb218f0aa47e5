import { describe, expect, it } from 'vitest'
import type { PolicyEffect } from '../../types/fabric'
import { compilePolicySet, type ParsedPolicy, type PolicySubject } from '../../src/governance/policy-engine'
import type { StoredRule } from '../../src/governance/policy-schema'

type Level = ParsedPolicy['scope']['level']

const SUBJECT: PolicySubject = {
  tenantId: 't1',
  kind: 'exec',
  principal: 'tok_1',
  agentId: 'agent-1',
  sessionId: 'sess-1',
  workspaceId: 'ws-1',
  roles: ['operator'],
  attachedPolicyIds: [],
}

const SCOPE_ID: Record<Level, string> = { tenant: 't1', workspace: 'ws-1', agent: 'agent-1', role: 'operator' }

function policy(id: string, level: Level, rules: StoredRule[], priority = 0, scopeId = SCOPE_ID[level]): ParsedPolicy {
  return { id, tenantId: 't1', scope: { level, id: scopeId }, priority, rules }
}

function rule(actionPattern: string, effect: PolicyEffect, extra: Partial<StoredRule> = {}): StoredRule {
  return { actionPattern, effect, ...extra }
}

function decide(policies: ParsedPolicy[], actions: string[], subject: PolicySubject = SUBJECT, defaultEffect: PolicyEffect = 'allow') {
  return compilePolicySet(policies, { version: 1, defaultEffect }).evaluate(actions, subject)
}

describe('inheritance tenant → workspace → agent (role at agent level), every pair of levels and effects', () => {
  // The stated rule: at equal priority and pattern, the more specific level wins; agent and role are the same level,
  // and between them the stricter effect wins.
  const LEVEL_RANK: Record<Level, number> = { tenant: 0, workspace: 1, agent: 2, role: 2 }
  const STRICTNESS: Record<PolicyEffect, number> = { allow: 0, require_approval: 1, deny: 2 }
  const levels: Level[] = ['tenant', 'workspace', 'agent', 'role']
  const effects: PolicyEffect[] = ['allow', 'deny', 'require_approval']
  const table: Array<[Level, PolicyEffect, Level, PolicyEffect, PolicyEffect]> = []
  for (const upper of levels)
    for (const upperEffect of effects)
      for (const lower of levels)
        for (const lowerEffect of effects) {
          if (upper === lower) continue
          const expected =
            LEVEL_RANK[upper] !== LEVEL_RANK[lower]
              ? LEVEL_RANK[upper] > LEVEL_RANK[lower]
                ? upperEffect
                : lowerEffect
              : STRICTNESS[upperEffect] >= STRICTNESS[lowerEffect]
                ? upperEffect
                : lowerEffect
          table.push([upper, upperEffect, lower, lowerEffect, expected])
        }

  it('has all 108 combinations', () => expect(table).toHaveLength(108))

  it.each(table)('%s:%s vs %s:%s → %s', (levelA, effectA, levelB, effectB, expected) => {
    const result = decide([policy('a', levelA, [rule('exec:rm', effectA)]), policy('b', levelB, [rule('exec:rm', effectB)])], ['exec:rm'])
    expect(result.effect).toBe(expected)
  })
})

describe('precedence: priority, then level, then pattern specificity, then the stricter effect', () => {
  const table: Array<[name: string, policies: ParsedPolicy[], action: string, effect: PolicyEffect, policyId: string | undefined]> = [
    ['higher priority beats a more specific level', [policy('t', 'tenant', [rule('exec:rm', 'deny')], 10), policy('a', 'agent', [rule('exec:rm', 'allow')], 0)], 'exec:rm', 'deny', 't'],
    ['higher priority allow beats a lower priority deny', [policy('t', 'tenant', [rule('exec:*', 'allow')], 5), policy('a', 'agent', [rule('exec:rm', 'deny')], 4)], 'exec:rm', 'allow', 't'],
    ['negative priority loses to default priority', [policy('t', 'tenant', [rule('exec:rm', 'deny')], -1), policy('u', 'tenant', [rule('exec:rm', 'allow')])], 'exec:rm', 'allow', 'u'],
    ['exact pattern beats a glob at the same level', [policy('t', 'tenant', [rule('exec:*', 'deny'), rule('exec:ls', 'allow')])], 'exec:ls', 'allow', 't'],
    ['more literal characters beat fewer', [policy('t', 'tenant', [rule('fs:write:*', 'allow'), rule('fs:write:/etc/*', 'deny')])], 'fs:write:/etc/passwd', 'deny', 't'],
    ['a broader glob still applies where the narrow one does not', [policy('t', 'tenant', [rule('fs:write:*', 'allow'), rule('fs:write:/etc/*', 'deny')])], 'fs:write:/home/x', 'allow', 't'],
    ['deny wins a full tie', [policy('a', 'tenant', [rule('exec:rm', 'allow')]), policy('b', 'tenant', [rule('exec:rm', 'deny')])], 'exec:rm', 'deny', 'b'],
    ['require_approval beats allow in a tie', [policy('a', 'tenant', [rule('exec:*', 'allow'), rule('exec:*', 'require_approval')])], 'exec:cp', 'require_approval', 'a'],
    ['deny beats require_approval in a tie', [policy('a', 'tenant', [rule('net:*', 'require_approval')]), policy('b', 'tenant', [rule('net:*', 'deny')])], 'net:https://x', 'deny', 'b'],
    ['a universal pattern takes part in realm lookups', [policy('t', 'tenant', [rule('*', 'deny'), rule('exec:ls', 'allow')])], 'exec:cat', 'deny', 't'],
    ['a realm-less action is matched by universal rules', [policy('t', 'tenant', [rule('*rm', 'deny')])], 'rm', 'deny', 't'],
    ['no matching rule falls to the default', [policy('t', 'tenant', [rule('exec:rm', 'deny')])], 'exec:ls', 'allow', undefined],
  ]
  it.each(table)('%s', (_name, policies, action, effect, policyId) => {
    const result = decide(policies, [action])
    expect(result.effect).toBe(effect)
    expect(result.deciding.policyId).toBe(policyId)
  })

  it('names the matched rule and its position', () => {
    const result = decide([policy('base', 'tenant', [rule('exec:ls', 'allow'), rule('exec:rm', 'deny')])], ['exec:rm'])
    expect(result.deciding).toMatchObject({ action: 'exec:rm', effect: 'deny', policyId: 'base', ruleIndex: 1, rule: { actionPattern: 'exec:rm', effect: 'deny' } })
    expect(result.deciding.reason).toBe('rule 1 of policy base (tenant, priority 0) matched "exec:rm"')
  })

  it('is independent of the order policies and rules are given in', () => {
    const policies = [
      policy('p1', 'tenant', [rule('exec:*', 'allow'), rule('exec:rm', 'require_approval')]),
      policy('p2', 'workspace', [rule('exec:r?', 'deny')]),
      policy('p3', 'agent', [rule('exec:*', 'allow')], 0),
    ]
    const forward = decide(policies, ['exec:rm'])
    const reversed = decide([...policies].reverse().map((p) => ({ ...p, rules: [...p.rules].reverse() })), ['exec:rm'])
    expect(forward.effect).toBe('allow')
    expect(reversed.effect).toBe(forward.effect)
    expect(reversed.deciding.policyId).toBe('p3')
  })
})

describe('attachment and conditions', () => {
  const table: Array<[name: string, p: ParsedPolicy, subject: Partial<PolicySubject>, effect: PolicyEffect]> = [
    ['workspace policy applies inside its workspace', policy('w', 'workspace', [rule('exec:rm', 'deny')]), {}, 'deny'],
    ['workspace policy does not apply to another workspace', policy('w', 'workspace', [rule('exec:rm', 'deny')]), { workspaceId: 'ws-2' }, 'allow'],
    ['agent policy does not apply to another agent', policy('a', 'agent', [rule('exec:rm', 'deny')]), { agentId: 'agent-2' }, 'allow'],
    ['role policy applies to holders of the role', policy('r', 'role', [rule('exec:rm', 'deny')]), {}, 'deny'],
    ['role policy does not apply without the role', policy('r', 'role', [rule('exec:rm', 'deny')]), { roles: [] }, 'allow'],
    ['a policy attached by id applies whatever its scope id', policy('x', 'agent', [rule('exec:rm', 'deny')], 0, 'someone-else'), { attachedPolicyIds: ['x'] }, 'deny'],
    ['condition on kind holds', policy('c', 'tenant', [rule('exec:rm', 'deny', { conditions: { kinds: ['exec'] } })]), {}, 'deny'],
    ['condition on kind fails', policy('c', 'tenant', [rule('exec:rm', 'deny', { conditions: { kinds: ['intent'] } })]), {}, 'allow'],
    ['condition on agent ids fails without an agent', policy('c', 'tenant', [rule('exec:rm', 'deny', { conditions: { agentIds: ['agent-1'] } })]), { agentId: undefined }, 'allow'],
    ['condition on session holds', policy('c', 'tenant', [rule('exec:rm', 'deny', { conditions: { sessionIds: ['sess-1'] } })]), {}, 'deny'],
    ['condition on principal fails', policy('c', 'tenant', [rule('exec:rm', 'deny', { conditions: { principals: ['tok_2'] } })]), {}, 'allow'],
  ]
  it.each(table)('%s', (_name, p, subject, effect) => {
    expect(decide([p], ['exec:rm'], { ...SUBJECT, ...subject }).effect).toBe(effect)
  })
})

describe('several actions in one request', () => {
  const policies = [policy('t', 'tenant', [rule('exec:*', 'allow'), rule('exec:rm', 'deny'), rule('fs:write:/etc/*', 'require_approval')])]

  it('takes the strictest result and reports every action', () => {
    const result = decide(policies, ['exec:cat', 'fs:write:/etc/hosts', 'exec:rm'])
    expect(result.effect).toBe('deny')
    expect(result.deciding.action).toBe('exec:rm')
    expect(result.evaluations.map((e) => [e.action, e.effect])).toEqual([
      ['exec:cat', 'allow'],
      ['fs:write:/etc/hosts', 'require_approval'],
      ['exec:rm', 'deny'],
    ])
  })

  it('reports the first action of the strictest effect', () => {
    const result = decide(policies, ['exec:cat', 'fs:write:/etc/a', 'fs:write:/etc/b'])
    expect(result.effect).toBe('require_approval')
    expect(result.deciding.action).toBe('fs:write:/etc/a')
  })

  it('refuses a request with no actions (fail closed)', () => {
    const result = decide(policies, [])
    expect(result.effect).toBe('deny')
    expect(result.evaluations).toEqual([])
  })

  it('uses the configured default effect', () => {
    expect(decide([], ['exec:ls'], SUBJECT, 'deny').effect).toBe('deny')
    expect(decide([], ['exec:ls'], SUBJECT, 'require_approval').deciding.reason).toBe('no rule matched; tenant default is require_approval')
  })
})
