/**
 * Request limits: which validation failures are "too big" rather than "wrong".
 * A string, array or map over its maximum (command length, args count, env
 * size, path length) is refused with LIMIT_EXCEEDED (413), so a caller can tell
 * "shorten it" from "fix it"; everything else stays VALIDATION_ERROR (400).
 */
import type { z } from 'zod'
import type { ErrorCode } from '../../types/errors'

/** Most environment variables one exec may pass. */
export const MAX_ENV_VARS = 256
/** Longest environment variable value, in characters. */
export const MAX_ENV_VALUE_LENGTH = 32_768

/** Set on a custom refinement's `params` to mark it a size limit. */
export const LIMIT_PARAMS = { limit: true } as const

const SIZED_ORIGINS = new Set(['string', 'array', 'set', 'file', 'record', 'map'])

function isLimitIssue(issue: z.core.$ZodIssue): boolean {
  if (issue.code === 'too_big') return SIZED_ORIGINS.has(issue.origin)
  return issue.code === 'custom' && (issue.params as { limit?: unknown } | undefined)?.limit === true
}

/** The code for a failed parse: LIMIT_EXCEEDED when any issue is a size limit. */
export function codeForIssues(issues: readonly z.core.$ZodIssue[]): ErrorCode {
  return issues.some(isLimitIssue) ? 'LIMIT_EXCEEDED' : 'VALIDATION_ERROR'
}
