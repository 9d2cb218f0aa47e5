/**
 * Every metric the fabric exports, in one place: name, type, help text, label
 * names and (for histograms) bucket bounds. Names and labels of the first six
 * are those of seed 001. Recording a metric not listed here is a type error, and
 * the metrics Durable Object refuses unknown names and labels at runtime.
 *
 * Every series also carries `tenant_id` (added by the recorder), so a tenant's
 * `/metrics` shows only its own series.
 */
import { ERROR_CODES } from '../../../types/errors'

export type MetricType = 'counter' | 'gauge' | 'histogram'

export interface MetricDefinition {
  type: MetricType
  help: string
  labels: readonly string[]
  buckets?: readonly number[]
}

/** Latency buckets in seconds: 1 ms … 5 min, covering a native `cat` up to a sandboxed build. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] as const

export const METRICS = {
  agent_fabric_tasks_total: {
    type: 'counter',
    help: 'Tasks that reached a terminal status, by agent and status.',
    labels: ['agent_id', 'status'],
  },
  agent_fabric_task_duration_seconds: {
    type: 'histogram',
    help: 'Execution time of the final attempt of a task that ended, in seconds.',
    labels: [],
    buckets: DURATION_BUCKETS,
  },
  agent_fabric_tokens_total: {
    type: 'counter',
    help: 'Model tokens charged to agents, by agent and model.',
    labels: ['agent_id', 'model'],
  },
  agent_fabric_budget_usage_ratio: {
    type: 'gauge',
    help: 'Used fraction of the tightest budget limit of an entity (agent, user or tenant); 1 means exhausted.',
    labels: ['entity_id'],
  },
  agent_fabric_agents_active: {
    type: 'gauge',
    help: 'Agents currently RUNNING.',
    labels: [],
  },
  agent_fabric_policy_decisions_total: {
    type: 'counter',
    help: 'Policy decisions made on the governed path, by effect (allow, deny, require_approval).',
    labels: ['decision'],
  },
  agent_fabric_executions_total: {
    type: 'counter',
    help: 'Executions run by a tier, by tier and outcome (ok or error).',
    labels: ['tier', 'status'],
  },
  agent_fabric_execution_duration_seconds: {
    type: 'histogram',
    help: 'Wall time of one execution on one tier, in seconds.',
    labels: ['tier'],
    buckets: DURATION_BUCKETS,
  },
  agent_fabric_execution_errors_total: {
    type: 'counter',
    help: 'Failed executions by tier and error code (codes of the one registry, types/errors.ts).',
    labels: ['tier', 'code'],
  },
  agent_fabric_tier_fallbacks_total: {
    type: 'counter',
    help: 'Executions that moved to a higher tier after a retriable failure, by the tier they left.',
    labels: ['from_tier'],
  },
  agent_fabric_alerts_total: {
    type: 'counter',
    help: 'Anomaly alerts raised (high_error_rate, budget_exceeded), by agent and kind.',
    labels: ['agent_id', 'kind'],
  },
  agent_fabric_rate_limited_total: {
    type: 'counter',
    help: 'Requests refused with 429 by the per-tenant rate limit.',
    labels: [],
  },
  agent_fabric_http_requests_total: {
    type: 'counter',
    help: 'HTTP API requests by route pattern, method and status class (2xx, 4xx, 5xx).',
    labels: ['route', 'method', 'status_class'],
  },
  // Billable units, counted where they are spent (src/telemetry/billable.ts).
  agent_fabric_billable_do_requests_total: {
    type: 'counter',
    help: 'Durable Object requests (fetch or RPC call on a stub), by namespace binding.',
    labels: ['binding'],
  },
  agent_fabric_billable_d1_queries_total: {
    type: 'counter',
    help: 'D1 statements executed.',
    labels: [],
  },
  agent_fabric_billable_d1_rows_read_total: {
    type: 'counter',
    help: 'D1 rows read, as D1 reports them per statement.',
    labels: [],
  },
  agent_fabric_billable_d1_rows_written_total: {
    type: 'counter',
    help: 'D1 rows written, as D1 reports them per statement.',
    labels: [],
  },
  agent_fabric_billable_loader_isolates_total: {
    type: 'counter',
    help: 'Worker Loader isolate requests (LOADER.get calls, one per module id run).',
    labels: [],
  },
  agent_fabric_billable_subrequests_total: {
    type: 'counter',
    help: 'Calls to other Workers over service bindings (tier 2), by binding.',
    labels: ['binding'],
  },
} as const satisfies Record<string, MetricDefinition>

export type MetricName = keyof typeof METRICS
type Def<N extends MetricName> = (typeof METRICS)[N]
export type CounterName = { [N in MetricName]: Def<N>['type'] extends 'counter' ? N : never }[MetricName]
export type GaugeName = { [N in MetricName]: Def<N>['type'] extends 'gauge' ? N : never }[MetricName]
export type HistogramName = { [N in MetricName]: Def<N>['type'] extends 'histogram' ? N : never }[MetricName]

/** The labels a metric takes (tenant_id is separate: every series has it). */
export type LabelsOf<N extends MetricName> = { [L in Def<N>['labels'][number]]: string | number }

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name)
}

/** Label value written in place of a value beyond the cardinality cap of its label. */
export const OVERFLOW_LABEL_VALUE = 'other'

/**
 * The cardinality rule: per tenant and per metric, a label keeps at most this many
 * distinct values; later new values are folded into `other`. Labels with a closed
 * set of values list it (anything else also becomes `other`).
 */
export const LABEL_VALUE_CAPS: Readonly<Record<string, number>> = {
  agent_id: 100,
  entity_id: 100,
  model: 20,
  route: 60,
}

/** Labels whose values come from a closed set; a value outside it is recorded as `other`. */
export const CLOSED_LABEL_VALUES: Readonly<Record<string, ReadonlySet<string>>> = {
  tier: new Set(['1', '2', '3', '4']),
  from_tier: new Set(['1', '2', '3', '4']),
  status: new Set(['ok', 'error', 'pending', 'awaiting_approval', 'blocked', 'running', 'retry_wait', 'completed', 'failed', 'cancelled']),
  decision: new Set(['allow', 'deny', 'require_approval']),
  code: new Set(Object.keys(ERROR_CODES)),
  kind: new Set(['high_error_rate', 'budget_exceeded']),
  method: new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
  status_class: new Set(['1xx', '2xx', '3xx', '4xx', '5xx']),
}

/** Any label not listed in either table above keeps at most this many values. */
export const DEFAULT_LABEL_VALUE_CAP = 50

/** Longest label value kept; longer ones are cut (Prometheus has no limit, but scrapes should stay small). */
export const MAX_LABEL_VALUE_LENGTH = 128
