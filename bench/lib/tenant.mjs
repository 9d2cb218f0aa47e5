/**
 * Every bench run works in a tenant of its own, created with the dev
 * (operator) token: its state does not mix with earlier runs, its rate limit
 * is raised so the load generator measures the fabric and not the limiter,
 * and one tenant policy allows every action (the fabric denies by default).
 * Governance still runs in full on every request: the policy is evaluated,
 * audited and counted like any other.
 */
import { client } from './server.mjs'

export async function createBenchTenant(fabric) {
  const operator = client(fabric)
  const id = `bench-${Date.now().toString(36)}`
  const { token } = await operator('POST', '/v1/tenants', {
    id,
    name: 'benchmark run',
    rateLimit: { ratePerSecond: 100_000, burst: 1_000_000 },
  })
  const tenant = { ...fabric, token: token.value, tenantId: id, operatorToken: fabric.token }
  await client(tenant)('PUT', '/v1/policies/bench-allow-all', { rules: [{ actionPattern: '*', effect: 'allow' }] })
  return tenant
}
