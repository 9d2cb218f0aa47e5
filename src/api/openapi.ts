/** Shared OpenAPI pieces: the error schema and the zod validation hook. */
import { z } from '@hono/zod-openapi'
import type { Hook } from '@hono/zod-openapi'
import { FabricError } from '../core/errors'
import type { AppEnv } from './app-env'
import { codeForIssues } from '../core/limits'

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'VALIDATION_ERROR' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error')

/** Turns a zod failure into a 400 that names each bad field. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.join('.') || '(body)',
    message: issue.message,
  }))
  throw new FabricError(codeForIssues(result.error.issues), `invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
    issues,
  })
}
