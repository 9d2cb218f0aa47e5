/**
 * An ExecCall read the same way by every tier: whom the result is for, its
 * arguments checked with zod, its stdin as bytes or text, and the exit
 * statuses a shell would show when a call is stopped or misused.
 */
import { z } from 'zod'
import type { ExecResult, ExecutionTier } from '../../types/execution'
import type { ExecCall } from './executor'
import { failure, type ResultIdentity } from './result'

/** A usage error, as GNU utilities and jq report it. */
export const USAGE_STATUS = 2
/** What timeout(1) exits with. */
export const TIMEOUT_STATUS = 124
/** A job killed by SIGINT: 128 + 2. */
export const CANCELLED_STATUS = 130

/** Arguments of a utility (tiers 1 and 2): argv has no type but string. */
export const ArgvSchema = z.array(z.string({ error: 'every argument must be a string (argv has no other type)' }))

export function identityOf(call: ExecCall, tier: ExecutionTier): ResultIdentity {
  return { tier, operation: call.operation, executionId: call.options.executionId, traceId: call.options.traceId }
}

/** INVALID_ARGUMENT naming the first argument zod refused (`args[2]: …`), with a usage status. */
export function invalidArgs(identity: ResultIdentity, error: z.ZodError, startedAt: number): ExecResult {
  const issue = error.issues[0]
  const where = issue?.path.length ? `args[${issue.path.join('.')}]` : 'args'
  return failure(identity, 'INVALID_ARGUMENT', `${where}: ${issue?.message ?? 'invalid'}`, startedAt, { exitCode: USAGE_STATUS })
}

export function stdinBytes(stdin: string | Uint8Array | undefined): Uint8Array {
  if (stdin === undefined) return new Uint8Array(0)
  return typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin
}

export function stdinText(stdin: string | Uint8Array | undefined): string {
  return typeof stdin === 'string' ? stdin : new TextDecoder().decode(stdin ?? new Uint8Array(0))
}
