/** OpenAPI shape of a route plan (src/execution/route-plan/plan.ts): POST /v1/exec/plan answers it. */
import { z } from '@hono/zod-openapi'

const TierSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])

const StagePlanSchema = z
  .object({
    operation: z.string(),
    args: z.array(z.string()),
    tier: TierSchema,
    why: z.string().openapi({ example: "'python3' is no native utility, tier-2 service or tenant module: only the Linux sandbox runs it" }),
    cause: z.object({ kind: z.enum(['explicit', 'builtin', 'program']), value: z.string() }),
    mayFallBackTo: z.array(TierSchema),
    estimateUsd: z.number(),
  })
  .openapi('StagePlan')

export const RoutePlanSchema = z
  .object({
    mode: z.enum(['per-stage', 'whole-line']),
    tier: TierSchema,
    why: z.string(),
    stages: z.array(StagePlanSchema),
    estimate: z.object({
      usd: z.number(),
      worstCaseUsd: z.number(),
      perCallByTier: z.object({ '1': z.number(), '2': z.number(), '3': z.number(), '4': z.number() }),
      model: z.object({
        cpuMsUsd: z.number(),
        invocationUsd: z.number(),
        containerSecondUsd: z.number(),
        expectedCpuMs: z.number(),
        expectedContainerSeconds: z.number(),
      }),
    }),
  })
  .openapi('RoutePlan')
