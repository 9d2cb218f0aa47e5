import { describe, expect, it } from 'vitest'
import { newTenant, tokenWith } from '../helpers/tenants'

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> }
}

describe('policies over HTTP', () => {
  it('a policy denying exec:rm makes rm a 403 POLICY_DENIED; replacing it takes effect on the next request', async () => {
    const t = await newTenant()
    const put = await t.json('PUT', '/v1/policies/no-rm', { rules: [{ actionPattern: 'exec:rm', effect: 'deny' }] })
    expect(put.status).toBe(201)
    expect(put.body).toMatchObject({ id: 'no-rm', scope: { level: 'tenant', id: t.tenantId }, priority: 0, rules: [{ actionPattern: 'exec:rm', effect: 'deny' }] })

    const denied = await t.json<ErrorBody>('POST', '/v1/exec', { command: 'rm -r /tmp/x' })
    expect(denied.status).toBe(403)
    expect(denied.body.error.code).toBe('POLICY_DENIED')
    expect(denied.body.error.message).toContain('exec:rm')

    const replaced = await t.json('PUT', '/v1/policies/no-rm', { rules: [{ actionPattern: 'exec:rm', effect: 'allow' }] })
    expect(replaced.status).toBe(200)
    const after = await t.call('POST', '/v1/exec', { command: 'rm -r /tmp/x' })
    expect(after.status).not.toBe(403)

    const listed = await t.json<{ policies: Array<{ id: string }>; defaultEffect: string }>('GET', '/v1/policies')
    expect(listed.body.policies.map((p) => p.id)).toEqual(['no-rm'])
    expect(listed.body.defaultEffect).toBe('allow')
  })

  it('deletes a policy, and says NOT_FOUND for an unknown one', async () => {
    const t = await newTenant()
    await t.json('PUT', '/v1/policies/p1', { rules: [{ actionPattern: 'exec:*', effect: 'deny' }] })
    expect((await t.call('DELETE', '/v1/policies/p1')).status).toBe(204)
    const missing = await t.json<ErrorBody>('GET', '/v1/policies/p1')
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('NOT_FOUND')
    expect((await t.json<ErrorBody>('DELETE', '/v1/policies/p1')).body.error.code).toBe('NOT_FOUND')
  })

  it('refuses a bad policy with a message naming the field', async () => {
    const t = await newTenant()
    const bad = await t.json<ErrorBody>('PUT', '/v1/policies/p', { rules: [{ actionPattern: 'exec:\\', effect: 'deny' }] })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('VALIDATION_ERROR')
    expect(bad.body.error.message).toContain('rules.0.actionPattern')
    const noScopeId = await t.json<ErrorBody>('PUT', '/v1/policies/p', { scope: { level: 'agent' }, rules: [] })
    expect(noScopeId.body.error.message).toContain('scope.id is required')
    expect((await t.json<ErrorBody>('PUT', '/v1/policies/bad id', { rules: [] })).status).toBe(400)
  })

  it('needs the admin scope to change policies, read to see them', async () => {
    const t = await newTenant()
    const reader = await tokenWith(t, ['read'])
    const refused = await reader.json<ErrorBody>('PUT', '/v1/policies/p', { rules: [] })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('FORBIDDEN')
    expect((await reader.call('GET', '/v1/policies')).status).toBe(200)
  })

  it('POST /v1/policy/check dry-runs a decision for a command line without auditing it', async () => {
    const t = await newTenant()
    await t.json('PUT', '/v1/policies/files', {
      rules: [
        { actionPattern: 'fs:write:/etc/*', effect: 'deny' },
        { actionPattern: 'exec:curl', effect: 'require_approval', approvers: ['alice'] },
      ],
    })
    const check = await t.json<{ effect: string; action: string; policyVersion: number; evaluations: Array<{ action: string; effect: string }> }>('POST', '/v1/policy/check', {
      command: 'cat /a.txt | tee /etc/hosts',
    })
    expect(check.status).toBe(200)
    expect(check.body.effect).toBe('deny')
    expect(check.body.action).toBe('fs:write:/etc/hosts')
    expect(check.body.policyVersion).toBe(1)
    expect(check.body.evaluations.map((e) => [e.action, e.effect])).toEqual([
      ['exec:cat', 'allow'],
      ['fs:read:/a.txt', 'allow'],
      ['exec:tee', 'allow'],
      ['fs:write:/etc/hosts', 'deny'],
    ])
    const approval = await t.json<{ effect: string }>('POST', '/v1/policy/check', { actions: ['exec:curl'] })
    expect(approval.body.effect).toBe('require_approval')
    const audit = await t.json<{ decisions: unknown[] }>('GET', '/v1/policy/decisions')
    expect(audit.body.decisions).toEqual([])
  })

  it('sets the tenant default effect', async () => {
    const t = await newTenant()
    expect((await t.json('PUT', '/v1/policy/default', { effect: 'deny' })).body).toEqual({ defaultEffect: 'deny' })
    const check = await t.json<{ effect: string; reason: string }>('POST', '/v1/policy/check', { operation: 'echo', args: ['x'] })
    expect(check.body).toMatchObject({ effect: 'deny', reason: 'no rule matched; tenant default is deny' })
    const refused = await t.json<ErrorBody>('POST', '/v1/exec', { operation: 'echo', args: ['x'] })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('POLICY_DENIED')
  })

  it('audits real decisions and records policy changes as admin actions in the WAL', async () => {
    const t = await newTenant()
    await t.json('PUT', '/v1/policies/no-rm', { rules: [{ actionPattern: 'exec:rm', effect: 'deny' }] })
    await t.call('POST', '/v1/exec', { command: 'rm /x' })
    const audit = await t.json<{ decisions: Array<{ action: string; effect: string; policyId: string }> }>('GET', '/v1/policy/decisions')
    expect(audit.body.decisions.map((d) => [d.action, d.effect, d.policyId])).toEqual([['exec:rm', 'deny', 'no-rm']])
    const wal = await t.json<{ events: Array<{ type: string; data: { action: string; target: Record<string, string> } }> }>('GET', '/v1/wal?eventType=admin.action')
    expect(wal.body.events.map((e) => [e.data.action, e.data.target])).toContainEqual(['policy.put', { policyId: 'no-rm' }])
  })
})
