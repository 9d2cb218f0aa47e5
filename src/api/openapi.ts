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
