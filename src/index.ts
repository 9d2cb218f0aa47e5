/**
 * Worker entry: the HTTP API (default export), the service-binding
 * entrypoint for other Workers, and the Durable Object classes.
 */
import { createApp } from './api/app'
import type { Env } from './env'
import { DEFAULT_RATE_LIMIT } from './api/rate-limit/rate-limiter-do'

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
 * `npm run bench` measures every HTTP figure against these, served only when
 * the bench asks for them (BENCH_BARE_ROUTE=on, a `--var` of scripts/dev.mjs)
 * on a local fabric; everywhere else the paths are ordinary unknown routes.
 * - BARE_PATH: the cheapest answer the same `wrangler dev` process can give
 *   (no router, no middleware, no binding);
 * - DURABLE_WRITE_PATH: the least a governed task can cost under the fabric's
 *   contract (one agent request per task, answered once its writes are
 *   durable): one Durable Object request whose answer waits for one durable
 *   write (the output gate). It stores the default limits of a rate limiter
 *   no tenant can own (its name is not a valid tenant id).
 */
const BARE_PATH = '/__bench/hello'
const DURABLE_WRITE_PATH = '/__bench/durable-write'
const FLOOR_OBJECT_NAME = ' bench floor'

/** The bench path a request asks for, when the bench routes are served here. */
function benchPath(request: Request, env: Env): string | undefined {
  return env.BENCH_BARE_ROUTE === 'on' && env.FABRIC_ENV === 'local' ? new URL(request.url).pathname : undefined
}

async function durableWrite(env: Env): Promise<Response> {
  await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(FLOOR_OBJECT_NAME)).configure(DEFAULT_RATE_LIMIT)
  return new Response('written')
}

export default {
  fetch: (request, env, ctx) => {
    const bench = benchPath(request, env)
    // The bare answer is synchronous: nothing in front of it but this check.
    if (bench === BARE_PATH) return new Response('hello')
    if (bench === DURABLE_WRITE_PATH) return durableWrite(env)
    return app.fetch(request, env, ctx)
  },
} satisfies ExportedHandler<Env>
