/** Shared OpenAPI pieces: the error schema and the zod validation hook. */
import { z } from '@hono/zod-openapi'
import type { Hook } from '@hono/zod-openapi'
import { ERROR_CODES, FabricError, type ErrorCode } from '../../types/errors'
import type { AppEnv } from './app-env'
import { codeForIssues } from '../core/limits'

const CODES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]

/** The error body; its code enumerates the one registry (types/errors.ts), with each code's meaning. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(CODES).openapi({
        example: 'VALIDATION_ERROR',
        description: CODES.map((code) => `${code} (${ERROR_CODES[code].status}): ${ERROR_CODES[code].meaning}`).join('\n'),
      }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error')

/**
 * A body that may take several forms (one task or an array of tasks) fails as one `invalid_union`
 * saying only "Invalid input". Report the form the caller meant instead: the branch that got past
 * the type check (an object for an object), with its issues' paths under the union's own.
 */
function meantIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue]
    const passedTypeCheck = issue.errors.filter((branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0))
    // Only a union of different kinds (object or array) has one branch the caller meant; a union of literals keeps its own message.
    const [meant] = passedTypeCheck
    if (passedTypeCheck.length !== 1 || !meant) return [issue]
    return meantIssues(meant.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })))
  })
}

/** Turns a zod failure into a 400 that names each bad field. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return
  const meant = meantIssues(result.error.issues)
  const issues = meant.map((issue) => ({
    path: issue.path.join('.') || '(body)',
    message: issue.message,
  }))
  throw new FabricError(codeForIssues(result.error.issues), `invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
    issues,
  })
}
