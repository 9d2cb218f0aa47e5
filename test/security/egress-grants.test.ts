/**
 * Egress grants (issue 16, finding 1): internal destinations are refused in
 * every notation, and an agent-scope token opens the network only where an
 * admin's policy rule says `net:<host>:<port>`; the tenant default does not.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { internalKind } from '../../sandboxd/egress/address'
import { egressActions } from '../../src/governance/egress-grant'
import { json } from '../helpers/http'
import { newTenant, tokenWith, type ErrorBody, type TenantClient } from '../helpers/tenants'

let admin: TenantClient
let agent: TenantClient

beforeAll(async () => {
  admin = await newTenant()
  expect((await admin.json('PUT', '/v1/policy/default', { effect: 'allow' })).status).toBe(200)
  agent = await tokenWith(admin, ['agent', 'read'])
})

const spawn = (client: TenantClient, id: string, networkEgress: string[]) => client.json<ErrorBody>('POST', '/v1/agents', { id, isolation: { networkEgress } })
const upload = (client: TenantClient, name: string, egress: string[]) =>
  client.json<ErrorBody>('POST', '/v1/modules', { name, source: 'export default { run() { return 1 } }', egress })

describe('internal destinations', () => {
  const internal = [
    '127.0.0.1:8792', '127.0.0.1:9230', 'localhost', 'LOCALHOST:80', 'app.localhost', '2130706433', '0x7f000001:80', '0177.0.0.1',
    '127.1', '[::1]:80', '::1', '[::ffff:127.0.0.1]:80', '[::ffff:7f00:1]', '[0:0:0:0:0:0:0:1]:443', '0.0.0.0', '[::]:80',
    '10.0.0.1', '172.16.5.4', '192.168.1.1:22', '100.64.0.1', '169.254.169.254', '[fe80::1]:80', '[fd12::1]:80', '224.0.0.1',
    '[ff02::1]:80', 'metadata.google.internal', '*.internal',
  ]

  it.each(internal)('a sandbox grant of %s is refused with EGRESS_DENIED', async (entry) => {
    const { status, body } = await spawn(admin, `egress-${internal.indexOf(entry)}`, [entry])
    expect(status).toBe(403)
    expect(body.error.code).toBe('EGRESS_DENIED')
    expect(body.error.message).toContain('only the operator can open internal hosts (EGRESS_ALLOW_INTERNAL_HOSTS)')
  })

  it('a module egress to the fabric itself (127.0.0.1:8792 and its decimal form) is refused', async () => {
    for (const entry of ['127.0.0.1:8792', '2130706433:8792']) {
      const { status, body } = await upload(admin, 'fetcher', [entry])
      expect(status).toBe(403)
      expect(body.error.code).toBe('EGRESS_DENIED')
    }
  })

  it('the operator list opens a named internal host, compared in canonical form', () => {
    expect(() => egressActions({ EGRESS_ALLOW_INTERNAL_HOSTS: '127.0.0.1, db.internal' }, 'sandbox', ['2130706433:5432', 'db.internal:5432'])).not.toThrow()
    expect(() => egressActions({ EGRESS_ALLOW_INTERNAL_HOSTS: '127.0.0.1' }, 'sandbox', ['10.0.0.1:5432'])).toThrow(/10\.0\.0\.1 is a private address/)
  })

  it('classifies public addresses as public', () => {
    for (const host of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '[2606:4700::1111]', 'example.com', '[::ffff:8.8.8.8]']) expect(internalKind(host), host).toBeNull()
  })
})

describe('who may grant public egress', () => {
  it('names each entry as net:<host>:<port> (no port in a sandbox entry means 80 and 443)', () => {
    expect(egressActions({}, 'sandbox', ['api.example.com', '*.cdn.example.com:8443'])).toEqual([
      'net:api.example.com:80', 'net:api.example.com:443', 'net:*.cdn.example.com:8443',
    ])
    expect(egressActions({}, 'module', ['api.example.com'])).toEqual(['net:api.example.com:*'])
  })

  it('an agent token is refused on the tenant default (allow) with EGRESS_NOT_GRANTED', async () => {
    const { status, body } = await spawn(agent, 'no-rule', ['api.example.com:443'])
    expect(status).toBe(403)
    expect(body.error.code).toBe('EGRESS_NOT_GRANTED')
    expect(body.error.details?.action).toBe('net:api.example.com:443')
    const module = await upload(agent, 'm-no-rule', ['api.example.com'])
    expect(module.body.error.code).toBe('EGRESS_NOT_GRANTED')
  })

  it('an admin policy rule allowing net:<host>:<port> lets the agent token grant exactly that', async () => {
    const put = await admin.json('PUT', '/v1/policies/egress', { rules: [{ actionPattern: 'net:api.example.com:443', effect: 'allow' }] })
    expect(put.status).toBe(201)
    expect((await spawn(agent, 'with-rule', ['api.example.com:443'])).status).toBe(201)
    const other = await spawn(agent, 'other-port', ['api.example.com:22'])
    expect(other.body.error.code).toBe('EGRESS_NOT_GRANTED')
  })

  it('a deny rule refuses even an admin, and the decision is audited with kind grant', async () => {
    await admin.json('PUT', '/v1/policies/no-evil', { rules: [{ actionPattern: 'net:evil.example.com:*', effect: 'deny' }] })
    const { status, body } = await spawn(admin, 'evil', ['evil.example.com'])
    expect(status).toBe(403)
    expect(body.error.code).toBe('POLICY_DENIED')
    const decisions = await json<{ decisions: Array<{ kind: string; action: string; effect: string }> }>(await admin.call('GET', '/v1/policy/decisions?limit=5'))
    expect(decisions.decisions[0]).toMatchObject({ kind: 'grant', action: 'net:evil.example.com:80', effect: 'deny' })
  })
})
