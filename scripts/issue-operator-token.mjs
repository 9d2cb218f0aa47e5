#!/usr/bin/env node
/**
 * Bootstraps the first operator token of a deployment (where the dev token is
 * refused): prints a new token once, and the D1 statement that stores only its
 * SHA-256 as an admin token of the operator tenant.
 *
 *   node scripts/issue-operator-token.mjs [operator-tenant-id] [label]
 *   npx wrangler d1 execute edge-fabric --remote --env production --command "<the printed SQL>"
 *
 * The tenant id must equal FABRIC_OPERATOR_TENANT (default `dev`).
 */
import { createHash, randomBytes } from 'node:crypto'

const tenantId = process.argv[2] ?? 'dev'
const label = process.argv[3] ?? 'operator bootstrap'
if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(tenantId)) {
  console.error('the operator tenant id is 2-63 characters of a-z, 0-9 and "-"')
  process.exit(2)
}
const token = `fab_${randomBytes(32).toString('hex')}`
const hash = createHash('sha256').update(token).digest('hex')
const tokenId = `tok_${randomBytes(16).toString('hex')}`
const now = new Date().toISOString()
const quote = (s) => `'${s.replaceAll("'", "''")}'`

console.log(`token (store it now; it is not shown again):\n${token}\n`)
console.log('SQL for `wrangler d1 execute ... --command`:')
console.log(
  `INSERT OR IGNORE INTO tenants (id, name, created_at, created_by) VALUES (${quote(tenantId)}, 'operator', ${quote(now)}, 'bootstrap'); ` +
    `INSERT INTO tenant_tokens (id, tenant_id, token_hash, scopes, label, created_at, created_by) VALUES (${quote(tokenId)}, ${quote(tenantId)}, ${quote(hash)}, 'admin,agent,read', ${quote(label)}, ${quote(now)}, 'bootstrap');`,
)
