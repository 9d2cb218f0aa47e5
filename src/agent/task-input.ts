/**
 * What a caller submits to an agent's queue (`POST /v1/agents/:id/tasks`),
 * parsed with zod at the HTTP boundary and again inside the Durable Object.
 */
import { z } from '@hono/zod-openapi'
import { PRIORITIES, type Priority } from '../../types/fabric'
import { argsOnlyWithOperation, ExecWorkSchema, type ExecRequest } from '../core/exec-request'
import { RetryPolicySchema } from '../core/retry-policy'
import { TaskIdSchema } from './task-ids'

const PrioritySchema = z.enum(PRIORITIES as [Priority, ...Priority[]])

/** A queued task: the shared exec fields plus what the queue needs (priority, dependencies, retries …). */
export const TaskInputSchema = ExecWorkSchema.extend({
  type: z.string().min(1).max(128).optional().openapi({ description: 'A name for the kind of task; the operation when neither operation nor command is given' }),
  payload: z.record(z.string(), z.unknown()).optional(),
  priority: PrioritySchema.default('normal'),
  dependsOn: z.array(TaskIdSchema).max(64).default([]),
  timeoutSeconds: z.number().positive().max(14_400).optional().openapi({ description: 'Start-to-close limit of one attempt' }),
  deadline: z.iso.datetime({ offset: true }).optional().openapi({ description: 'The task fails DEADLINE_EXCEEDED if it has not started by then' }),
  retry: RetryPolicySchema.optional(),
  intentId: z.string().min(1).max(128).optional(),
  metadata: z.record(z.string().max(64), z.string().max(1024)).optional(),
})
  .strict()
  .refine((t) => [t.operation, t.command].filter((v) => v !== undefined).length <= 1, {
    message: 'give at most one of "operation" and "command"',
  })
  .refine((t) => t.operation !== undefined || t.command !== undefined || t.type !== undefined, {
    message: 'say what to run: "command" (a shell line), "operation" with "args", or "type" naming the operation',
  })
  .refine(...argsOnlyWithOperation)
  .openapi('TaskInput')

export type TaskInput = z.output<typeof TaskInputSchema>

/** The exec request a task runs on each attempt (timeoutMs is the task's start-to-close limit). */
export function execRequestOf(input: TaskInput, timeoutMs: number): ExecRequest {
  const base = {
    timeoutMs,
    ...(input.tier ? { tier: input.tier } : {}),
    ...(input.cwd ? { cwd: input.cwd } : {}),
    ...(input.env ? { env: input.env } : {}),
    ...(input.stdin !== undefined ? { stdin: input.stdin } : {}),
    ...(input.backend ? { backend: input.backend } : {}),
  }
  if (input.command !== undefined) return { ...base, command: input.command }
  return { ...base, operation: input.operation ?? input.type, args: input.args ?? [] }
}

/** The task input POST /v1/exec queues: the same request, at normal priority, with its own timeout. */
export function taskInputOfExec(request: ExecRequest, defaultTimeoutMs: number): TaskInput {
  const { agentId: _agentId, timeoutMs, ...rest } = request
  return TaskInputSchema.parse({
    ...rest,
    type: 'exec',
    timeoutSeconds: (timeoutMs ?? defaultTimeoutMs) / 1000,
  })
}
