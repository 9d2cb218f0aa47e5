/**
 * What the tier router records for every run on a tier: the execution counter
 * by outcome, the latency histogram, the error counter by code, fallbacks,
 * a `tier.run` span, and one debug log line carrying the trace and execution ids.
 */
import type { ExecResult, ExecutionTier } from '../../types/execution'
import type { ResolvedExecOptions } from '../execution/executor'
import { createLogger, parseLogLevel } from './logger'
import { metrics, type MetricsBindings } from './metrics/recorder'
import { recordSpan, type OtlpVars } from './spans'

type Bindings = MetricsBindings & OtlpVars & { LOG_LEVEL?: string }

export function recordTierRun(bindings: Bindings, options: ResolvedExecOptions, result: ExecResult): void {
  const m = metrics(bindings)
  const tenant_id = options.tenantId
  m.count('agent_fabric_executions_total', { tenant_id, tier: result.tier, status: result.ok ? 'ok' : 'error' })
  m.observe('agent_fabric_execution_duration_seconds', { tenant_id, tier: result.tier }, result.duration / 1000)
  if (!result.ok && result.error) m.count('agent_fabric_execution_errors_total', { tenant_id, tier: result.tier, code: result.error.code })
  const endMs = Date.now()
  recordSpan(bindings, {
    name: `tier ${result.tier} ${result.operation}`,
    kind: result.tier === 1 ? 'internal' : 'client',
    parent: options.traceparent,
    startMs: endMs - result.duration,
    endMs,
    attributes: { 'fabric.tier': result.tier, 'fabric.operation': result.operation, 'fabric.execution_id': options.executionId, 'fabric.tenant_id': tenant_id, 'fabric.exit_code': result.exitCode },
    ...(result.error ? { error: `${result.error.code}: ${result.error.message}` } : {}),
  })
  createLogger(
    { traceId: options.traceId, executionId: options.executionId, tenantId: tenant_id, tier: result.tier, ...(options.agentId ? { agentId: options.agentId } : {}) },
    { level: parseLogLevel(bindings.LOG_LEVEL) },
  ).debug('tier run', {
    operation: result.operation,
    ok: result.ok,
    exitCode: result.exitCode,
    durationMs: result.duration,
    ...(result.error ? { code: result.error.code } : {}),
  })
}

export function recordFallback(bindings: Bindings, options: ResolvedExecOptions, from: ExecutionTier): void {
  metrics(bindings).count('agent_fabric_tier_fallbacks_total', { tenant_id: options.tenantId, from_tier: from })
}
