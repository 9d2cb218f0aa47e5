/**
 * Worker entry: the HTTP API (default export), the service-binding
 * entrypoint for other Workers, and the Durable Object classes.
 */
import { createApp } from './api/app'
import type { Env } from './env'

export { FabricEntrypoint } from './rpc/entrypoint'
export { AgentDO } from './agent/agent-do'
export { BudgetLedgerDO } from './agent/budget/ledger-do'
export { MetricsDO } from './telemetry/metrics/metrics-do'
export { RateLimiterDO } from './api/rate-limit/rate-limiter-do'
export { SagaDO } from './orchestration/saga/saga-do'
export { EgressGateway } from './execution/esm/egress-gateway'
// Production tier 4 (declared only in [env.production] of wrangler.toml).
export { Sandbox, ContainerProxy } from './execution/sandbox/cloudflare-sandbox-class'

const app = createApp()

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>
