import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { listDecisions } from '../../src/governance/audit'
import { createGovernance, deploymentDefaultEffect } from '../../src/governance/governance'
import { FabricError } from '../../types/errors'
import { freshTenant, governedRequest } from './helpers'

const governance = () => createGovernance({ DB: env.DB, POLICY_DEFAULT_EFFECT: 'allow' })

describe('policy decisions against D1', () => {
  it('denies what a stored policy denies and audits the decision with redacted inputs', async () => {
    const tenant = freshTenant()
    const g = governance()
    await g.policies.put(tenant, 'no-rm', { scope: { level: 'tenant' }, priority: 0, rules: [{ actionPattern: 'exec:rm', effect: 'deny' }] })
    const request = governedRequest(tenant, ['exec:ls', 'exec:rm'], { agentId: 'a1', summary: { command: 'ls; rm /x', apiKey: 'sk-verysecretvalue123456' } })
    const decision = await g.decide(request)
    expect(decision).toMatchObject({ effect: 'deny', action: 'exec:rm', matchedPolicyId: 'no-rm', matchedRule: { actionPattern: 'exec:rm', effect: 'deny' } })
    expect(decision.decisionId).toMatch(/^dec_[0-9a-f]{32}$/)

    const [audited] = await listDecisions(env.DB, tenant, { executionId: request.ctx.executionId, limit: 10 })
    expect(audited).toMatchObject({
      decisionId: decision.decisionId,
      executionId: request.ctx.executionId,
      agentId: 'a1',
      kind: 'exec',
      action: 'exec:rm',
      effect: 'deny',
      policyId: 'no-rm',
      ruleIndex: 0,
      policyVersion: 1,
      inputs: { actions: ['exec:ls', 'exec:rm'], summary: { command: 'ls; rm /x', apiKey: '[REDACTED]' }, principal: 'tok_test' },
    })
    expect(audited?.evaluations.map((e) => e.effect)).toEqual(['allow', 'deny'])
  })

  it('takes a replaced policy into account on the very next decision (no stale cache)', async () => {
    const tenant = freshTenant()
    const g = governance()
    const request = () => governedRequest(tenant, ['exec:rm'])
    expect((await g.decide(request())).effect).toBe('allow')
    await g.policies.put(tenant, 'p', { scope: { level: 'tenant' }, priority: 0, rules: [{ actionPattern: 'exec:rm', effect: 'deny' }] })
    expect((await g.decide(request())).effect).toBe('deny')
    // A second governance instance (another isolate's view) shares the store; the write must reach it too.
    await createGovernance({ DB: env.DB }).policies.put(tenant, 'p', {
      scope: { level: 'tenant' },
      priority: 0,
      rules: [{ actionPattern: 'exec:rm', effect: 'require_approval', approvers: ['alice'] }],
    })
    expect((await g.decide(request())).effect).toBe('require_approval')
    await g.policies.delete(tenant, 'p')
    expect((await g.decide(request())).effect).toBe('allow')
  })

  it('applies the tenant default effect, then the deployment default, then deny', async () => {
    const tenant = freshTenant()
    expect((await createGovernance({ DB: env.DB }).decide(governedRequest(tenant, ['exec:ls']))).effect).toBe('deny')
    expect((await governance().decide(governedRequest(tenant, ['exec:ls']))).effect).toBe('allow')
    await governance().policies.setDefaultEffect(tenant, 'require_approval')
    expect((await governance().decide(governedRequest(tenant, ['exec:ls']))).effect).toBe('require_approval')
    expect(deploymentDefaultEffect({ POLICY_DEFAULT_EFFECT: 'bogus' })).toBe('deny')
  })

  it('keeps tenants apart', async () => {
    const [one, two] = [freshTenant(), freshTenant()]
    const g = governance()
    await g.policies.put(one, 'p', { scope: { level: 'tenant' }, priority: 0, rules: [{ actionPattern: '*', effect: 'deny' }] })
    expect((await g.decide(governedRequest(one, ['exec:ls']))).effect).toBe('deny')
    expect((await g.decide(governedRequest(two, ['exec:ls']))).effect).toBe('allow')
  })

  it('inherits along tenant → workspace → agent with stored policies', async () => {
    const tenant = freshTenant()
    const g = governance()
    await g.policies.put(tenant, 'tenant-deny', { scope: { level: 'tenant' }, priority: 0, rules: [{ actionPattern: 'exec:*', effect: 'deny' }] })
    await g.policies.put(tenant, 'ws-allow', { scope: { level: 'workspace', id: 'ws' }, priority: 0, rules: [{ actionPattern: 'exec:*', effect: 'allow' }] })
    await g.policies.put(tenant, 'agent-approve', { scope: { level: 'agent', id: 'a1' }, priority: 0, rules: [{ actionPattern: 'exec:rm', effect: 'require_approval' }] })
    const decide = (agentId: string, workspaceId?: string) =>
      g.decide(governedRequest(tenant, ['exec:rm'], { agentId, ...(workspaceId ? { subject: { workspaceId } } : {}) })).then((d) => d.effect)
    expect(await decide('a2')).toBe('deny')
    expect(await decide('a2', 'ws')).toBe('allow')
    expect(await decide('a1', 'ws')).toBe('require_approval')
    expect(await decide('a1')).toBe('require_approval')
  })
})

describe('kill switch', () => {
  const scopes = [
    ['global', { scope: 'global' as const }],
    ['tenant', { scope: 'tenant' as const }],
    ['agent', { scope: 'agent' as const, agentId: 'a1' }],
  ] as const

  it.each(scopes)('a %s switch refuses with KILL_SWITCH until lifted', async (_name, target) => {
    const tenant = freshTenant()
    // The global switch stops every tenant, so it is thrown on a D1 no other test file reads.
    if (target.scope === 'global') await applyD1Migrations(env.GLOBAL_SWITCH_DB, env.TEST_MIGRATIONS)
    const g = target.scope === 'global' ? createGovernance({ DB: env.GLOBAL_SWITCH_DB, POLICY_DEFAULT_EFFECT: 'allow' }) : governance()
    const full = target.scope === 'global' ? target : { ...target, tenantId: tenant }
    await g.assertNotKilled({ tenantId: tenant, agentId: 'a1' })
    await g.killSwitches.set(full, true, 'incident 42', 'tok_admin')
    const refused = await g.assertNotKilled({ tenantId: tenant, agentId: 'a1' }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(FabricError)
    expect(refused).toMatchObject({ code: 'KILL_SWITCH', status: 403, details: { scope: target.scope, reason: 'incident 42' } })
    await g.killSwitches.set(full, false, 'resolved', 'tok_admin')
    await expect(g.assertNotKilled({ tenantId: tenant, agentId: 'a1' })).resolves.toBeUndefined()
  })

  it('an agent switch leaves other agents and tenants running', async () => {
    const tenant = freshTenant()
    const g = governance()
    await g.killSwitches.set({ scope: 'agent', tenantId: tenant, agentId: 'a1' }, true, 'runaway', 'tok_admin')
    await expect(g.assertNotKilled({ tenantId: tenant, agentId: 'a1' })).rejects.toMatchObject({ code: 'KILL_SWITCH' })
    await expect(g.assertNotKilled({ tenantId: tenant, agentId: 'a2' })).resolves.toBeUndefined()
    await expect(g.assertNotKilled({ tenantId: tenant })).resolves.toBeUndefined()
    await expect(g.assertNotKilled({ tenantId: freshTenant(), agentId: 'a1' })).resolves.toBeUndefined()
  })

  it('decide refuses KILL_SWITCH before the policy, whatever the policy says, and audits nothing', async () => {
    const tenant = freshTenant()
    const g = governance()
    await g.policies.put(tenant, 'no-rm', { scope: { level: 'tenant' }, priority: 0, rules: [{ actionPattern: 'exec:rm', effect: 'deny' }] })
    await g.killSwitches.set({ scope: 'agent', tenantId: tenant, agentId: 'a1' }, true, 'runaway', 'tok_admin')
    const killed = governedRequest(tenant, ['exec:rm'], { agentId: 'a1' })
    await expect(g.decide(killed)).rejects.toMatchObject({ code: 'KILL_SWITCH', details: { scope: 'agent', reason: 'runaway' } })
    expect(await listDecisions(env.DB, tenant, { executionId: killed.ctx.executionId, limit: 10 })).toEqual([])
    expect((await g.decide(governedRequest(tenant, ['exec:rm'], { agentId: 'a2' }))).effect).toBe('deny')
  })

  it('a tenant switch covers every agent of the tenant only', async () => {
    const tenant = freshTenant()
    const g = governance()
    await g.killSwitches.set({ scope: 'tenant', tenantId: tenant }, true, 'billing', 'tok_admin')
    await expect(g.assertNotKilled({ tenantId: tenant, agentId: 'any' })).rejects.toMatchObject({ code: 'KILL_SWITCH' })
    await expect(g.assertNotKilled({ tenantId: freshTenant() })).resolves.toBeUndefined()
    expect((await g.killSwitches.list(tenant)).map((s) => [s.scope, s.active, s.reason])).toContainEqual(['tenant', true, 'billing'])
    await g.killSwitches.set({ scope: 'tenant', tenantId: tenant }, false, 'paid', 'tok_admin')
  })
})
