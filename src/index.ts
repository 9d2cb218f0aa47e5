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

/**
 * `npm run bench` measures every HTTP figure against this: the cheapest answer
 * the same `wrangler dev` process can give (no router, no middleware, no
 * binding). Served only when the bench asks for it (BENCH_BARE_ROUTE=on, a
 * `--var` of scripts/dev.mjs) on a local fabric; everywhere else the path is
 * an ordinary unknown route.
 */
const BARE_PATH = '/__bench/hello'

function isBareBenchRequest(request: Request, env: Env): boolean {
  return env.BENCH_BARE_ROUTE === 'on' && env.FABRIC_ENV === 'local' && new URL(request.url).pathname === BARE_PATH
}

export default {
  fetch: (request, env, ctx) => (isBareBenchRequest(request, env) ? new Response('hello') : app.fetch(request, env, ctx)),
} satisfies ExportedHandler<Env>
