/**
 * What a module's isolate answers, parsed on the fabric side: the isolate
 * runs untrusted code that could tamper with the runner's globals, so its
 * answer is checked like any other input.
 */
import { z } from 'zod'
import type { ModuleContext } from '../../../types/execution'

const ModuleErrorSchema = z.object({ name: z.string(), message: z.string(), stack: z.string() })

/** `over_ceiling`: the memory meter refused an allocation during the call (memory-meter.ts). */
export const ModuleOutcomeSchema = z.discriminatedUnion('status', [
  /** `json` is the value as JSON text; absent when run() returned undefined. */
  z.object({ status: z.literal('returned'), json: z.string().optional(), logs: z.array(z.string()) }),
  z.object({ status: z.enum(['threw', 'unserializable', 'over_ceiling']), error: ModuleErrorSchema, logs: z.array(z.string()) }),
])

export type ModuleOutcome = z.infer<typeof ModuleOutcomeSchema>

/** Arguments of `ModuleRunner.run`: the ModuleContext fields that are data (the runner adds log and fs). */
export type RunRequest = Omit<ModuleContext, 'log' | 'fs'>
