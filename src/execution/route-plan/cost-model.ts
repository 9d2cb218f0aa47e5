/**
 * What a call costs on each tier, for the route plan and the budget check:
 *
 *   tier 1 native   ≈ Worker CPU time
 *   tier 2 RPC      ≈ one service invocation + its CPU time
 *   tier 3 modules  ≈ one isolate (Worker Loader) + its CPU time
 *   tier 4 sandbox  ≈ container seconds at the production price
 *
 * Defaults are Cloudflare's list prices (Workers Standard: $0.02 per million
 * CPU-ms and $0.30 per million requests; Containers: $0.000020 per vCPU-s
 * plus $0.0000025 per GiB-s, for the default 1 vCPU and 0.5 GiB). A deployment
 * overrides any of them with wrangler vars (COST_CPU_MS_USD, COST_INVOCATION_USD,
 * COST_CONTAINER_SECOND_USD) and the expected work per call with COST_EXPECTED_CPU_MS
 * and COST_EXPECTED_CONTAINER_SECONDS.
 */
import type { ExecutionTier } from '../../../types/execution'

export interface TierCostModel {
  /** USD per CPU-millisecond inside a Worker (tiers 1-3). */
  cpuMsUsd: number
  /** USD per Worker invocation: a tier-2 service call or a tier-3 isolate. */
  invocationUsd: number
  /** USD per second of a tier-4 container. */
  containerSecondUsd: number
  /** CPU-milliseconds one call is expected to use on tiers 1-3. */
  expectedCpuMs: number
  /** Container seconds one tier-4 call is expected to use. */
  expectedContainerSeconds: number
}

export const DEFAULT_COST_MODEL: Readonly<TierCostModel> = Object.freeze({
  cpuMsUsd: 0.02 / 1_000_000,
  invocationUsd: 0.3 / 1_000_000,
  containerSecondUsd: 0.00002 + 0.5 * 0.0000025,
  expectedCpuMs: 5,
  expectedContainerSeconds: 1,
})

/** The wrangler vars that configure the model (strings, as vars arrive). */
export interface CostVars {
  COST_CPU_MS_USD?: string
  COST_INVOCATION_USD?: string
  COST_CONTAINER_SECOND_USD?: string
  COST_EXPECTED_CPU_MS?: string
  COST_EXPECTED_CONTAINER_SECONDS?: string
}

function positive(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  // A typo in a price must not make tier 4 free: refuse it loudly instead.
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}='${text}' is not a non-negative number; fix it in wrangler.toml [vars]`)
  return value
}

export function costModelFrom(vars: CostVars): TierCostModel {
  const d = DEFAULT_COST_MODEL
  return {
    cpuMsUsd: positive(vars.COST_CPU_MS_USD, d.cpuMsUsd, 'COST_CPU_MS_USD'),
    invocationUsd: positive(vars.COST_INVOCATION_USD, d.invocationUsd, 'COST_INVOCATION_USD'),
    containerSecondUsd: positive(vars.COST_CONTAINER_SECOND_USD, d.containerSecondUsd, 'COST_CONTAINER_SECOND_USD'),
    expectedCpuMs: positive(vars.COST_EXPECTED_CPU_MS, d.expectedCpuMs, 'COST_EXPECTED_CPU_MS'),
    expectedContainerSeconds: positive(vars.COST_EXPECTED_CONTAINER_SECONDS, d.expectedContainerSeconds, 'COST_EXPECTED_CONTAINER_SECONDS'),
  }
}

/** USD of one call on `tier` that uses `cpuMs` of Worker CPU (tiers 1-3) or `containerSeconds` of a container (tier 4). */
function usd(model: TierCostModel, tier: ExecutionTier, cpuMs: number, containerSeconds: number): number {
  const cpu = cpuMs * model.cpuMsUsd
  switch (tier) {
    case 1:
      return cpu
    case 2:
    case 3:
      return model.invocationUsd + cpu
    case 4:
      return containerSeconds * model.containerSecondUsd
  }
}

/** Estimated USD of one call on `tier`; a tier-4 call never counts longer than its timeout. */
export function estimateUsd(model: TierCostModel, tier: ExecutionTier, timeoutMs?: number): number {
  const seconds = timeoutMs === undefined ? model.expectedContainerSeconds : Math.min(model.expectedContainerSeconds, timeoutMs / 1000)
  return usd(model, tier, model.expectedCpuMs, seconds)
}

/** USD of a call that ran `seconds` on `tier`, by the same model: what the usage report's split by tier counts. */
export function measuredUsd(model: TierCostModel, tier: ExecutionTier, seconds: number): number {
  return usd(model, tier, seconds * 1000, seconds)
}
