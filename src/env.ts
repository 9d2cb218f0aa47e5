/**
 * The bindings and vars the fabric Worker runs with (wrangler.toml, .dev.vars).
 * Keep this the one place that names them, so a missing binding is a type error.
 */
export interface Env {
  DB: D1Database
  FILES: R2Bucket
  KV: KVNamespace
  /** One Durable Object per saga, named `${tenantId}:${sagaId}`. */
  SAGA: DurableObjectNamespace<import('./orchestration/saga/saga-do').SagaDO>
  /** Metrics aggregation: one object per tenant, fed batched deltas (src/telemetry/metrics). */
  METRICS: DurableObjectNamespace<import('./telemetry/metrics/metrics-do').MetricsDO>
  /** Per-tenant token-bucket rate limiter (src/api/rate-limit). */
  RATE_LIMITER: DurableObjectNamespace<import('./api/rate-limit/rate-limiter-do').RateLimiterDO>
  /** One Durable Object per agent, named `${tenantId}:${agentId}` (src/agent). */
  AGENT: DurableObjectNamespace<import('./agent/agent-do').AgentDO>
  /** Tenant- and user-wide budgets that agents lease from, named `${tenantId}|${entity}` (src/agent/budget). */
  BUDGET_LEDGER: DurableObjectNamespace<import('./agent/budget/ledger-do').BudgetLedgerDO>
  FABRIC_VERSION: string
  /** 'local' in wrangler dev and tests, 'production' when deployed. */
  FABRIC_ENV: string
  MAX_BODY_BYTES: string
  /** Effect for actions no policy rule matches, in tenants that set no default: allow | deny | require_approval (unset → deny). */
  POLICY_DEFAULT_EFFECT?: string
  /** Default per-tenant rate limit (requests per second sustained, and burst); a tenant may have its own. */
  RATE_LIMIT_PER_SECOND?: string
  RATE_LIMIT_BURST?: string
  /** debug | info | warn | error (default info). */
  LOG_LEVEL?: string
  /** Tier cost model (src/execution/route-plan/cost-model.ts): USD prices and expected work per call. */
  COST_CPU_MS_USD?: string
  COST_INVOCATION_USD?: string
  COST_CONTAINER_SECOND_USD?: string
  COST_EXPECTED_CPU_MS?: string
  COST_EXPECTED_CONTAINER_SECONDS?: string
  /** The tenant whose admin tokens are operators: create tenants, see every tenant's metrics. Default `dev`. */
  FABRIC_OPERATOR_TENANT?: string
  /** OTLP/HTTP collector for the fabric's spans (src/telemetry/spans.ts); unset → no span export. */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string
  /** Headers for the collector, `key=value,key2=value2` (a secret: set with `wrangler secret put`). */
  OTEL_EXPORTER_OTLP_HEADERS?: string
  /** Anomaly alert thresholds (src/telemetry/anomaly.ts): failed share, window of recent tasks, minimum tasks. */
  ALERT_ERROR_RATE_THRESHOLD?: string
  ALERT_ERROR_RATE_WINDOW?: string
  ALERT_ERROR_RATE_MIN_TASKS?: string
  /** Local bench only: 'on' serves the bare hello-world route `npm run bench` compares with (src/index.ts). */
  BENCH_BARE_ROUTE?: string
  /** Internal hosts (loopback, private, link-local…) egress grants may name, comma separated: an operator's setting, unset → none. */
  EGRESS_ALLOW_INTERNAL_HOSTS?: string
  /** Local dev only: this token authenticates as admin of tenant `dev`. */
  FABRIC_DEV_TOKEN?: string
  /** Tier 4, local: sandboxd's URL (wrangler.toml [vars]); tier 4 answers TIER_UNAVAILABLE without it. */
  SANDBOX_URL?: string
  /** Tier 4, local: the shared secret sandboxd requires (.dev.vars; never logged). */
  SANDBOXD_SECRET?: string
  /** Tier 4, production: `@cloudflare/sandbox` containers ([env.production]); preferred over sandboxd when bound. */
  SANDBOX?: DurableObjectNamespace<import('./execution/sandbox/cloudflare-sandbox-class').Sandbox>
  /** Tier 2 (src/execution/rpc): services/jq. Absent → its operations answer TIER_UNAVAILABLE. */
  SVC_JQ?: Service<import('../services/jq/src/index').JqService>
  /** Tier 2: services/convert (JSON, YAML, TOML, CSV, TSV). */
  SVC_CONVERT?: Service<import('../services/convert/src/index').ConvertService>
  /** Tier 3 (src/execution/esm): creates the isolates dynamic modules run in. */
  LOADER?: WorkerLoader
  /** Local dev: 'process' (set by `npm run dev`) runs tier 3 in the module host's workerd, not this one (src/execution/esm/module-host.ts). */
  TIER3_HOST?: string
  /** Local dev: services/module-host, a second wrangler process with the Worker Loader. */
  MODULE_HOST?: Fetcher<import('./execution/esm/module-host').ModuleHostRpc>
}
