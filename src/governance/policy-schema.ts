/**
 * The policy document as it crosses the API boundary (and comes back out of
 * D1): parsed with zod, globs checked by compiling them, so a stored policy
 * can always be compiled.
 */
import { z } from '@hono/zod-openapi'
import { compileGlob, GlobSyntaxError } from './glob'

export const POLICY_EFFECTS = ['allow', 'deny', 'require_approval'] as const
export const PolicyEffectSchema = z.enum(POLICY_EFFECTS)

export const SCOPE_LEVELS = ['tenant', 'workspace', 'agent', 'role'] as const

const idList = z.array(z.string().min(1).max(256)).min(1).max(100)

/** Facts of the request a rule may be restricted to; every listed key must match. */
export const PolicyConditionsSchema = z
  .object({
    kinds: z.array(z.enum(['exec', 'task', 'intent', 'saga_step', 'grant'])).min(1).optional(),
    agentIds: idList.optional(),
    sessionIds: idList.optional(),
    principals: idList.optional(),
  })
  .strict()
  .openapi('PolicyConditions')

export const PolicyRuleSchema = z
  .object({
    actionPattern: z
      .string()
      .min(1)
      .max(1024)
      .superRefine((pattern, issue) => {
        try {
          compileGlob(pattern)
        } catch (error) {
          if (!(error instanceof GlobSyntaxError)) throw error
          issue.addIssue({ code: 'custom', message: error.message })
        }
      })
      .openapi({ example: 'exec:rm' }),
    effect: PolicyEffectSchema,
    conditions: PolicyConditionsSchema.optional(),
    approvers: z.array(z.string().min(1).max(256)).max(100).optional(),
    approvalTtlSeconds: z.number().int().min(1).max(30 * 24 * 3600).optional(),
  })
  .strict()
  .openapi('PolicyRule')

export const PolicyBodySchema = z
  .object({
    scope: z
      .object({ level: z.enum(SCOPE_LEVELS), id: z.string().min(1).max(256).optional() })
      .strict()
      .default({ level: 'tenant' })
      .openapi({ example: { level: 'agent', id: 'agent-1' } }),
    rules: z.array(PolicyRuleSchema).max(1000),
    priority: z.number().int().min(-1_000_000).max(1_000_000).default(0),
  })
  .strict()
  .refine((p) => p.scope.level === 'tenant' || p.scope.id !== undefined, {
    message: 'scope.id is required for workspace, agent and role policies',
    path: ['scope', 'id'],
  })
  .openapi('PolicyBody')

export type PolicyBody = z.infer<typeof PolicyBodySchema>
export type PolicyConditions = z.infer<typeof PolicyConditionsSchema>
export type StoredRule = z.infer<typeof PolicyRuleSchema>

export const PolicyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'policy ids are 1-128 letters, digits, ".", "_" or "-"')
