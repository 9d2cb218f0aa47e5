/**
 * Resolving a bearer token to a tenant. Tokens are stored as SHA-256 hashes
 * in D1 (`tenant_tokens`); the plaintext exists only in the caller's hands.
 * The local dev token is admin of tenant `dev`, and only when FABRIC_ENV is
 * 'local', so a deployed Worker never honours it.
 */
import type { Env } from '../../env'
import { sha256Hex } from '../../core/digest'
import { randomHex } from '../../core/hex'
import { assertSecureConfig } from './config-guard'
import { TokenCache } from './token-cache'
import { countD1Statement } from '../../telemetry/billable'
import { metrics } from '../../telemetry/metrics/recorder'
import type { AuthContext, Scope } from '../app-env'

const utf8 = new TextEncoder()

/**
 * Compares without an early exit, so timing does not reveal a prefix match (workerd's native
 * `timingSafeEqual`; only a length mismatch answers early, and the length is not the secret).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = utf8.encode(a)
  const right = utf8.encode(b)
  return left.byteLength === right.byteLength && crypto.subtle.timingSafeEqual(left, right)
}

export const DEV_TENANT = 'dev'

/** Every issued token starts with this, so scanners (and `redactText`) recognise a leaked one. */
export const TOKEN_PREFIX = 'fab_'

/** A new token: the prefix plus 256 random bits in hex. Shown once; only its SHA-256 is stored. */
export function generateTokenValue(): string {
  return `${TOKEN_PREFIX}${randomHex(32)}`
}

/** The tenant whose admins operate the whole fabric (create tenants, read every tenant's metrics). */
export function operatorTenant(env: Pick<Env, 'FABRIC_OPERATOR_TENANT'>): string {
  return env.FABRIC_OPERATOR_TENANT || DEV_TENANT
}

export function isOperator(env: Pick<Env, 'FABRIC_OPERATOR_TENANT'>, auth: AuthContext): boolean {
  return auth.tenantId === operatorTenant(env) && auth.scopes.includes('admin')
}

interface TokenRow {
  id: string
  tenant_id: string
  scopes: string
}

/** This isolate's resolved tokens (see token-cache.ts for the revocation bound). */
const cache = new TokenCache({ now: () => Date.now() })

/**
 * Stops honouring a revoked or rotated token in this isolate at once; other
 * isolates stop within TOKEN_CACHE_TTL_MS. Anything holding a caller's session
 * open (a stream) re-resolves its token at that interval to close in time.
 */
export function forgetToken(tokenId: string): void {
  cache.forget(tokenId)
}

export async function resolveToken(env: Env, token: string): Promise<AuthContext | undefined> {
  // RPC callers reach this without the HTTP middleware; the guard holds for them too.
  assertSecureConfig(env)
  if (env.FABRIC_ENV === 'local' && env.FABRIC_DEV_TOKEN && constantTimeEqual(token, env.FABRIC_DEV_TOKEN)) {
    return { tenantId: DEV_TENANT, scopes: ['admin', 'agent', 'read'], tokenId: 'dev-token' }
  }
  const hash = await sha256Hex(token)
  return cache.resolve(hash, () => lookupToken(env, hash))
}

/** The one D1 read of authentication, made on a cache miss. */
async function lookupToken(env: Env, hash: string): Promise<AuthContext | undefined> {
  const { results, meta } = await env.DB.prepare(
    `SELECT t.id, t.tenant_id, t.scopes FROM tenant_tokens t
     WHERE t.token_hash = ?1 AND t.revoked_at IS NULL`,
  )
    .bind(hash)
    .all<TokenRow>()
  const row = results[0]
  if (!row) return undefined
  // The tenant is known only now, so the lookup is billed here (an unknown token has no tenant to bill).
  countD1Statement(metrics(env), row.tenant_id, meta)
  return { tenantId: row.tenant_id, scopes: row.scopes.split(',') as Scope[], tokenId: row.id }
}
