/**
 * Fuzz: policy globs and the policy engine. A glob either compiles or is
 * refused with GlobSyntaxError (and then the rule schema refuses it with a
 * validation issue, never a crash); a compiled glob matches exactly what a
 * straightforward regular-expression translation matches; and a decision does
 * not depend on the order policies are stored in.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { PolicyEffect } from '../../types/fabric'
import { compileGlob, GlobSyntaxError } from '../../src/governance/glob'
import { compilePolicySet, type ParsedPolicy, type PolicySubject } from '../../src/governance/policy-engine'
import { PolicyRuleSchema } from '../../src/governance/policy-schema'
import { anyString } from './arbitraries'

/** The oracle: `*` → any run, `?` → one UTF-16 unit, `\x` → literal x, everything else literal. */
function oracle(pattern: string): RegExp {
  let source = ''
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string
    if (ch === '\\') source += escapeRegExp(pattern[++i] as string)
    else if (ch === '*') source += '[\\s\\S]*'
    else if (ch === '?') source += '[\\s\\S]'
    else source += escapeRegExp(ch)
  }
  return new RegExp(`^${source}$`)
}

function escapeRegExp(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
}

/** A small alphabet, so random patterns and subjects actually match each other often. */
const small = (maxLength: number) => fc.string({ unit: fc.constantFrom('a', 'b', ':', '/', '*', '?', '\\', '.', 'é'), maxLength })
const subjectText = (maxLength: number) => fc.string({ unit: fc.constantFrom('a', 'b', ':', '/', '*', '?', '\\', '.', 'é'), maxLength })

describe('fuzz: policy globs', () => {
  it('compiles any pattern (1-1000 chars) or refuses it with GlobSyntaxError, and the rule schema turns that into an issue', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, small(20)).filter((p) => p.length >= 1 && p.length <= 1000), (pattern) => {
        let refused = false
        try {
          compileGlob(pattern)
        } catch (error) {
          expect(error).toBeInstanceOf(GlobSyntaxError)
          refused = true
        }
        const parsed = PolicyRuleSchema.safeParse({ actionPattern: pattern, effect: 'deny' })
        expect(parsed.success).toBe(!refused)
      }),
      { numRuns: 3000 },
    )
  })

  it('matches exactly what the regular-expression oracle matches', () => {
    const pair = small(10)
      .filter((pattern) => !/(^|[^\\])(\\\\)*\\$/.test(pattern))
      .chain((pattern) => fc.tuple(fc.constant(pattern), fc.oneof(subjectText(12), fc.constant(pattern.replace(/[\\*?]/g, '')))))
    fc.assert(
      fc.property(pair, ([pattern, subject]) => {
        expect(compileGlob(pattern).matches(subject)).toBe(oracle(pattern).test(subject))
      }),
      { numRuns: 5000 },
    )
  })
})

const EFFECTS: PolicyEffect[] = ['allow', 'deny', 'require_approval']
const ACTIONS = ['exec:rm', 'exec:cat', 'fs:read:/a/b.txt', 'fs:write:/etc/x', 'net:https://example.com/', 'tier:4', 'intent:billing.refund']
const PATTERNS = ['exec:*', 'exec:rm', '*', 'fs:*', 'fs:read:/a/*', 'fs:write:*', 'net:https://*', 'tier:?', 'intent:billing.*', '*:rm', '*cat']

const policyArbitrary = fc.record({
  level: fc.constantFrom('tenant', 'workspace', 'agent', 'role') as fc.Arbitrary<ParsedPolicy['scope']['level']>,
  priority: fc.integer({ min: -2, max: 2 }),
  rules: fc.array(fc.record({ actionPattern: fc.constantFrom(...PATTERNS), effect: fc.constantFrom(...EFFECTS) }), { maxLength: 5 }),
})

const SUBJECT: PolicySubject = {
  tenantId: 't1',
  kind: 'exec',
  principal: 'tok',
  agentId: 'agent-1',
  workspaceId: 'ws-1',
  roles: ['ops'],
  attachedPolicyIds: [],
}
const SCOPE_IDS = { tenant: 't1', workspace: 'ws-1', agent: 'agent-1', role: 'ops' } as const

describe('fuzz: policy decisions', () => {
  it('decide the same whatever order the policies come in, and always name an effect', () => {
    const setup = fc
      .array(policyArbitrary, { maxLength: 8 })
      .chain((specs) => fc.tuple(fc.constant(specs), fc.shuffledSubarray(specs.map((_, i) => i), { minLength: specs.length })))
    fc.assert(
      fc.property(setup, fc.subarray(ACTIONS, { minLength: 1 }), fc.constantFrom(...EFFECTS), ([specs, order], actions, defaultEffect) => {
        const policies: ParsedPolicy[] = specs.map((spec, i) => ({
          id: `p${i}`,
          tenantId: 't1',
          scope: { level: spec.level, id: SCOPE_IDS[spec.level] },
          priority: spec.priority,
          rules: spec.rules,
        }))
        const shuffled = order.map((i) => policies[i] as ParsedPolicy)
        const a = compilePolicySet(policies, { version: 1, defaultEffect }).evaluate(actions, SUBJECT)
        const b = compilePolicySet(shuffled, { version: 1, defaultEffect }).evaluate(actions, SUBJECT)
        expect(EFFECTS).toContain(a.effect)
        expect(b.effect).toBe(a.effect)
        expect(b.deciding.policyId).toBe(a.deciding.policyId)
        expect(b.deciding.ruleIndex).toBe(a.deciding.ruleIndex)
      }),
      { numRuns: 2000 },
    )
  })
})
