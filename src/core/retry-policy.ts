/** How a task retries: the schema callers' retry policies are parsed with, and the type inferred from it. */
import { z } from '@hono/zod-openapi'

export const RetryPolicySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(20),
    backoff: z.enum(['exponential', 'linear']).default('exponential'),
    initialDelayMs: z.number().int().min(0).max(3_600_000).default(1000),
    maxDelayMs: z.number().int().min(0).max(86_400_000).default(60_000),
    /**
     * Which failures use the attempts: 'retriable' (also when absent, as in tasks stored before it
     * existed) only failures the fabric may clear by trying again (a tier that was unavailable, an
     * RPC error, a lost heartbeat); 'failed_command' also a command that ran and exited non-zero
     * (COMMAND_FAILED, retriable:false).
     */
    retryOn: z.enum(['retriable', 'failed_command']).optional().openapi({
      description: "'failed_command' also retries a command that ran and exited non-zero (COMMAND_FAILED); by default only retriable failures are retried",
    }),
  })
  .strict()
  .refine((r) => r.initialDelayMs <= r.maxDelayMs, { message: 'initialDelayMs must not exceed maxDelayMs' })
  .openapi('RetryPolicy')

export type RetryPolicy = z.output<typeof RetryPolicySchema>
