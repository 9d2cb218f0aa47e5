/**
 * Where a task comes from when the runtime (not a caller) submits it: an
 * intent, or a saga step. Intents and saga steps run as tasks on an agent, so
 * they pass through the one lifecycle — kill switch, policy, budget,
 * idempotency, write-ahead, queue, dispatch, record — like any task. The
 * origin adds what that lifecycle must know about them:
 * - the policy kind and extra actions (`intent:<realm.action>`), decided in
 *   the same single decision as the task's own actions;
 * - the WAL events that open the execution (`intent.accepted`,
 *   `capability.resolved`), written in the same transaction as the enqueue;
 * - links for every WAL event of the execution (intent type, correlation id,
 *   the intent's session, parent execution).
 */
import { z } from '@hono/zod-openapi'
import type { WalEventType } from '../../types/fabric'
import { intentAction } from './policy-actions'
import type { GovernedKind, WalEventInput } from './ports'

export const TaskOriginSchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('intent'),
        intentId: z.string().min(1).max(128),
        intentType: z.string().min(3).max(129),
        sessionId: z.string().min(1).max(256),
        correlationId: z.string().min(1).max(256),
        capability: z.string().min(1).max(129),
        payload: z.record(z.string(), z.unknown()),
        metadata: z.record(z.string(), z.string()),
      })
      .strict(),
    z
      .object({
        kind: z.literal('saga_step'),
        sagaId: z.string().min(1).max(128),
        step: z.number().int().min(0),
        phase: z.enum(['forward', 'compensate']),
      })
      .strict(),
  ])
  .openapi('TaskOrigin')

export type TaskOrigin = z.infer<typeof TaskOriginSchema>

export function originKind(origin: TaskOrigin | undefined, fallback: GovernedKind): GovernedKind {
  return origin ? (origin.kind === 'intent' ? 'intent' : 'saga_step') : fallback
}

/** Policy actions the origin adds to the task's own. */
export function originActions(origin: TaskOrigin | undefined): string[] {
  return origin?.kind === 'intent' ? [intentAction(origin.intentType)] : []
}

/** Links every WAL event of the execution carries. */
export function originLinks(origin: TaskOrigin | undefined): Partial<WalEventInput> {
  if (!origin) return {}
  // An intent's execution belongs to the caller's session (session replay finds it there), not the agent's.
  if (origin.kind === 'intent') return { intentType: origin.intentType, correlationId: origin.correlationId, sessionId: origin.sessionId }
  return { parentExecutionId: origin.sagaId, correlationId: origin.sagaId }
}

/** The events that open an execution of this origin, before `policy.decided` and `task.scheduled`. */
export function openingEvents(origin: TaskOrigin | undefined): Array<{ type: WalEventType; data: Record<string, unknown> }> {
  if (origin?.kind !== 'intent') return []
  return [
    {
      type: 'intent.accepted',
      data: {
        intentId: origin.intentId,
        intentType: origin.intentType,
        sessionId: origin.sessionId,
        correlationId: origin.correlationId,
        payload: origin.payload,
        metadata: origin.metadata,
      },
    },
    { type: 'capability.resolved', data: { intentType: origin.intentType, capability: origin.capability } },
  ]
}
