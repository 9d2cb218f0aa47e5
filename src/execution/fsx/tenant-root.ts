/**
 * Storage roots. Every filesystem is confined to one root prefix in its
 * bucket or namespace: `tenants/<tenantId>` for a tenant, and
 * `tenants/<tenantId>/agents/<agentId>` for one agent of it (which the
 * tenant's own root therefore contains, as `/agents/<agentId>`).
 */
import { z } from 'zod'
import { FsError } from './errors'

/** Ids as the fabric issues them (`ten_<hex>`, `dev`, …): no separators, dots or spaces. */
const IdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/)

/** A root is one or more such names joined by `/`, without leading or trailing `/`. */
const RootSchema = z.string().max(512).regex(/^[A-Za-z0-9][A-Za-z0-9_-]*(\/[A-Za-z0-9][A-Za-z0-9_-]*)*$/)

export function tenantRoot(tenantId: string, agentId?: string): string {
  for (const [label, id] of [['tenant', tenantId], ['agent', agentId]] as const) {
    if (id !== undefined && !IdSchema.safeParse(id).success) {
      throw new FsError('EINVAL', String(id), {
        hint: `a ${label} id is 1-64 characters of A-Z, a-z, 0-9, '_' and '-', starting with a letter or digit`,
      })
    }
  }
  return agentId === undefined ? `tenants/${tenantId}` : `tenants/${tenantId}/agents/${agentId}`
}

export function parseRoot(root: unknown): string {
  const parsed = RootSchema.safeParse(root)
  if (!parsed.success) {
    throw new FsError('EINVAL', String(root), {
      hint: "a root is names of A-Z, a-z, 0-9, '_' and '-' joined by '/', such as tenants/dev (use tenantRoot())",
    })
  }
  return parsed.data
}
