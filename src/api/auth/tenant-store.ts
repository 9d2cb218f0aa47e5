/**
 * Tenants and their tokens in D1. A token's value exists only in the response
 * that issues it; D1 keeps its SHA-256. Reads are always scoped by tenant id,
 * so a token id of another tenant is simply not found. Revoking or rotating
 * drops the old token from this isolate's auth cache at once.
 */
import { newId } from '../../core/ids'
import type { Scope } from '../app-env'
import { sha256Hex } from '../../core/digest'
import { forgetToken, generateTokenValue } from './tokens'

export interface Tenant {
  id: string
  name: string
  createdAt: string
  createdBy?: string
}

/** What a token listing shows: never the value, never the hash. */
export interface TokenInfo {
  id: string
  tenantId: string
  label?: string
  scopes: Scope[]
  createdAt: string
  createdBy?: string
  revokedAt?: string
  rotatedFrom?: string
}

export interface IssuedToken extends TokenInfo {
  /** The plaintext; returned once, here. */
  value: string
}

interface TenantRow {
  id: string
  name: string
  created_at: string
  created_by: string | null
}

interface TokenRow {
  id: string
  tenant_id: string
  label: string | null
  scopes: string
  created_at: string
  created_by: string | null
  revoked_at: string | null
  rotated_from: string | null
}

function tenantFrom(row: TenantRow): Tenant {
  return { id: row.id, name: row.name, createdAt: row.created_at, ...(row.created_by ? { createdBy: row.created_by } : {}) }
}

function tokenFrom(row: TokenRow): TokenInfo {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    scopes: row.scopes.split(',') as Scope[],
    createdAt: row.created_at,
    ...(row.label !== null ? { label: row.label } : {}),
    ...(row.created_by ? { createdBy: row.created_by } : {}),
    ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
    ...(row.rotated_from ? { rotatedFrom: row.rotated_from } : {}),
  }
}

interface NewToken {
  tenantId: string
  scopes: readonly Scope[]
  label?: string
  createdBy: string
  rotatedFrom?: string
}

/** The insert for a new token plus the token itself, so callers can batch it with other statements. */
async function prepareToken(db: D1Database, input: NewToken, now: string): Promise<{ statement: D1PreparedStatement; token: IssuedToken }> {
  const value = generateTokenValue()
  const id = newId('tok')
  const scopes = [...new Set(input.scopes)]
  const statement = db
    .prepare(
      `INSERT INTO tenant_tokens (id, tenant_id, token_hash, scopes, label, created_at, created_by, rotated_from)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
    )
    .bind(id, input.tenantId, await sha256Hex(value), scopes.join(','), input.label ?? null, now, input.createdBy, input.rotatedFrom ?? null)
  const token: IssuedToken = {
    id,
    tenantId: input.tenantId,
    scopes,
    createdAt: now,
    createdBy: input.createdBy,
    value,
    ...(input.label !== undefined ? { label: input.label } : {}),
    ...(input.rotatedFrom ? { rotatedFrom: input.rotatedFrom } : {}),
  }
  return { statement, token }
}

/** Creates the tenant and its first token in one D1 transaction; undefined when the id is taken. */
export async function createTenant(
  db: D1Database,
  input: { id: string; name: string; scopes: readonly Scope[]; label?: string; createdBy: string },
): Promise<{ tenant: Tenant; token: IssuedToken } | undefined> {
  const now = new Date().toISOString()
  const { statement, token } = await prepareToken(
    db,
    { tenantId: input.id, scopes: input.scopes, createdBy: input.createdBy, ...(input.label !== undefined ? { label: input.label } : {}) },
    now,
  )
  const insertTenant = db
    .prepare('INSERT INTO tenants (id, name, created_at, created_by) VALUES (?1, ?2, ?3, ?4)')
    .bind(input.id, input.name, now, input.createdBy)
  try {
    // One transaction: a taken id fails the tenant insert and rolls the token back with it.
    await db.batch([insertTenant, statement])
  } catch (error) {
    if (/UNIQUE constraint failed: tenants\.id/i.test(String(error))) return undefined
    throw error
  }
  return { tenant: { id: input.id, name: input.name, createdAt: now, createdBy: input.createdBy }, token }
}

export async function getTenant(db: D1Database, id: string): Promise<Tenant | undefined> {
  const row = await db.prepare('SELECT id, name, created_at, created_by FROM tenants WHERE id = ?1').bind(id).first<TenantRow>()
  return row ? tenantFrom(row) : undefined
}

export async function listTenants(db: D1Database): Promise<Tenant[]> {
  const { results } = await db.prepare('SELECT id, name, created_at, created_by FROM tenants ORDER BY created_at, id').all<TenantRow>()
  return results.map(tenantFrom)
}

const TOKEN_COLUMNS = 'id, tenant_id, label, scopes, created_at, created_by, revoked_at, rotated_from'

export async function listTokens(db: D1Database, tenantId: string): Promise<TokenInfo[]> {
  const { results } = await db
    .prepare(`SELECT ${TOKEN_COLUMNS} FROM tenant_tokens WHERE tenant_id = ?1 ORDER BY created_at, id`)
    .bind(tenantId)
    .all<TokenRow>()
  return results.map(tokenFrom)
}

export async function getToken(db: D1Database, tenantId: string, tokenId: string): Promise<TokenInfo | undefined> {
  const row = await db
    .prepare(`SELECT ${TOKEN_COLUMNS} FROM tenant_tokens WHERE tenant_id = ?1 AND id = ?2`)
    .bind(tenantId, tokenId)
    .first<TokenRow>()
  return row ? tokenFrom(row) : undefined
}

export async function issueToken(db: D1Database, input: NewToken): Promise<IssuedToken> {
  const { statement, token } = await prepareToken(db, input, new Date().toISOString())
  await statement.run()
  return token
}

function revokeStatement(db: D1Database, tenantId: string, tokenId: string, by: string, now: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE tenant_tokens SET revoked_at = ?1, revoked_by = ?2 WHERE tenant_id = ?3 AND id = ?4 AND revoked_at IS NULL
       RETURNING ${TOKEN_COLUMNS}`,
    )
    .bind(now, by, tenantId, tokenId)
}

/** Revokes a live token; undefined when it does not exist in this tenant or is already revoked. */
export async function revokeToken(db: D1Database, tenantId: string, tokenId: string, by: string): Promise<TokenInfo | undefined> {
  const row = await revokeStatement(db, tenantId, tokenId, by, new Date().toISOString()).first<TokenRow>()
  // This isolate stops honouring it now; the others within the cache bound (token-cache.ts).
  forgetToken(tokenId)
  return row ? tokenFrom(row) : undefined
}

/**
 * Replaces a live token with a new one of the same label and scopes, in one D1
 * transaction (the old one stops working the moment the new one exists).
 */
export async function rotateToken(db: D1Database, old: TokenInfo, by: string): Promise<IssuedToken> {
  const now = new Date().toISOString()
  const { statement, token } = await prepareToken(
    db,
    { tenantId: old.tenantId, scopes: old.scopes, createdBy: by, rotatedFrom: old.id, ...(old.label !== undefined ? { label: old.label } : {}) },
    now,
  )
  await db.batch([revokeStatement(db, old.tenantId, old.id, by, now), statement])
  forgetToken(old.id)
  return token
}
