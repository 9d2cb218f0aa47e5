/** Request and response shapes of `/v1/tenants` and its tokens. */
import { z } from '@hono/zod-openapi'

/** A tenant's own request rate limit (token bucket). */
export const RateLimitSchema = z
  .object({
    ratePerSecond: z.number().positive().max(100_000),
    burst: z.number().int().min(1).max(1_000_000),
  })
  .strict()
  .openapi('RateLimit')

export const ScopeSchema = z.enum(['admin', 'agent', 'read'])

const ScopesSchema = z.array(ScopeSchema).min(1).max(3)

export const TenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'a tenant id is 2–63 characters of a-z, 0-9 and "-", starting with a letter or digit')

const LabelSchema = z.string().min(1).max(100)

export const CreateTenantSchema = z
  .object({
    name: z.string().min(1).max(200).openapi({ example: 'Acme research' }),
    id: TenantIdSchema.optional().openapi({ description: 'Defaults to a generated `ten_…` id', example: 'acme' }),
    scopes: ScopesSchema.default(['admin', 'agent', 'read']).openapi({ description: "Scopes of the first token; admin manages the tenant's own tokens and policies" }),
    label: LabelSchema.optional(),
    rateLimit: RateLimitSchema.optional().openapi({ description: 'Requests per second and burst; defaults to RATE_LIMIT_PER_SECOND / RATE_LIMIT_BURST' }),
  })
  .strict()
  .openapi('CreateTenant')

export const IssueTokenSchema = z.object({ scopes: ScopesSchema, label: LabelSchema.optional() }).strict().openapi('IssueToken')

export const TenantSchema = z
  .object({ id: z.string(), name: z.string(), createdAt: z.string(), createdBy: z.string().optional() })
  .openapi('Tenant')

export const TokenInfoSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    label: z.string().optional(),
    scopes: z.array(ScopeSchema),
    createdAt: z.string(),
    createdBy: z.string().optional(),
    revokedAt: z.string().optional(),
    rotatedFrom: z.string().optional(),
  })
  .openapi('TokenInfo')

export const IssuedTokenSchema = TokenInfoSchema.extend({
  value: z.string().openapi({ description: 'The token. Shown once: store it now, it cannot be read again' }),
}).openapi('IssuedToken')

export const TenantPathSchema = z.object({ tenantId: z.string().min(1).max(128) })
export const TokenPathSchema = TenantPathSchema.extend({ tokenId: z.string().min(1).max(128) })
