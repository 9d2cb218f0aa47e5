/** The exec request, shared by `POST /v1/exec` and the RPC entrypoint. */
import { z } from '@hono/zod-openapi'
import { LIMIT_PARAMS, MAX_ENV_VALUE_LENGTH, MAX_ENV_VARS } from './limits'

export const FS_BACKENDS = ['memory', 'r2', 'kv'] as const
export const FsBackendSchema = z.enum(FS_BACKENDS)
export type FsBackend = z.infer<typeof FsBackendSchema>

/** Environment variables of one exec or task: names and values bounded, count capped (LIMIT_EXCEEDED beyond). */
export const ExecEnvSchema = z
  .record(z.string().min(1).max(256), z.string().max(MAX_ENV_VALUE_LENGTH))
  .refine((vars) => Object.keys(vars).length <= MAX_ENV_VARS, { message: `at most ${MAX_ENV_VARS} environment variables`, params: LIMIT_PARAMS })

/** An explicit tier; zod's own message for a union of literals is only "Invalid input". */
export const TierSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], {
  error: 'tier must be 1 (native), 2 (RPC), 3 (dynamic module) or 4 (Linux sandbox); leave it out to let the router choose',
})

/**
 * The fields every way of asking for an execution shares — `POST /v1/exec`, a queued task
 * (`POST /v1/agents/:id/tasks`) and the RPC session's `exec` — written once; each request schema
 * extends it with its own fields and refinements.
 */
export const ExecWorkSchema = z.object({
  command: z.string().min(1).max(65_536).optional().openapi({ example: 'cat /a.txt | grep x | wc -l' }),
  operation: z.string().min(1).max(256).optional().openapi({ example: 'wc' }),
  args: z.array(z.unknown()).max(10_000).optional(),
  tier: TierSchema.optional(),
  cwd: z.string().max(4096).optional(),
  env: ExecEnvSchema.optional(),
  stdin: z.string().optional(),
  backend: FsBackendSchema.optional(),
  /** The same key again returns the earlier execution's result instead of running it twice. */
  idempotencyKey: z.string().min(1).max(256).optional(),
})

/** Arguments belong to an operation; a command line carries its own. */
export const argsOnlyWithOperation = [
  (r: { command?: string; args?: unknown[] }) => r.command === undefined || r.args === undefined,
  { message: '"args" goes with "operation"; put arguments of a "command" in the line itself' },
] as const

export const ExecRequestSchema = ExecWorkSchema.extend({
  timeoutMs: z.number().int().positive().max(600_000).optional(),
  agentId: z.string().min(1).max(128).optional(),
})
  .strict()
  .refine((r) => (r.command === undefined) !== (r.operation === undefined), {
    message: 'give exactly one of "command" (a shell line) or "operation" (with "args")',
  })
  .refine(...argsOnlyWithOperation)
  .openapi('ExecRequest')

export type ExecRequest = z.infer<typeof ExecRequestSchema>

export const ExecResultSchema = z
  .object({
    ok: z.boolean(),
    tier: z.number().int(),
    operation: z.string(),
    exitCode: z.number().int(),
    stdout: z.string(),
    stderr: z.string(),
    value: z.unknown().optional(),
    error: z
      .object({ code: z.string(), message: z.string(), retriable: z.boolean(), details: z.record(z.string(), z.unknown()).optional() })
      .optional(),
    duration: z.number(),
    executionId: z.string(),
    traceId: z.string(),
    /** Present only when stdout is not valid UTF-8: the exact bytes. */
    stdoutBase64: z.string().optional(),
    truncated: z.boolean().optional(),
    logs: z.array(z.string()).optional(),
    fallbackFrom: z.array(z.number().int()).optional(),
    stages: z
      .array(z.object({ operation: z.string(), tier: z.number().int(), exitCode: z.number().int(), duration: z.number() }))
      .optional(),
  })
  .passthrough()
  .openapi('ExecResult')
