/**
 * Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): HELP and TYPE
 * once per metric, in catalog order, for every metric of the catalog (also those
 * with no series yet, so a scrape shows what exists); then the samples, each
 * with its tenant's `tenant_id` label. Histograms become cumulative `_bucket`
 * series with `le`, plus `_sum` and `_count`.
 */
import { METRICS, type MetricName } from './catalog'
import type { SeriesSnapshot } from './store'

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

export interface TenantSeries {
  tenantId: string
  series: readonly SeriesSnapshot[]
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

export function formatSampleValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf'
  if (value === Number.NEGATIVE_INFINITY) return '-Inf'
  if (Number.isNaN(value)) return 'NaN'
  return String(value)
}

function labelText(labels: ReadonlyArray<readonly [string, string]>): string {
  return labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`
}

function sampleLines(name: MetricName, tenantId: string, s: SeriesSnapshot): string[] {
  const labels: Array<readonly [string, string]> = [['tenant_id', tenantId], ...Object.entries(s.labels)]
  const def = METRICS[name]
  if (def.type !== 'histogram') return [`${name}${labelText(labels)} ${formatSampleValue(s.value)}`]
  const bounds = def.buckets
  const perBucket = s.buckets ?? []
  const lines: string[] = []
  let cumulative = 0
  for (let i = 0; i <= bounds.length; i++) {
    cumulative += perBucket[i] ?? 0
    const le = i < bounds.length ? formatSampleValue(bounds[i]!) : '+Inf'
    lines.push(`${name}_bucket${labelText([...labels, ['le', le]])} ${cumulative}`)
  }
  lines.push(`${name}_sum${labelText(labels)} ${formatSampleValue(s.sum)}`)
  lines.push(`${name}_count${labelText(labels)} ${s.count}`)
  return lines
}

export function renderPrometheus(tenants: readonly TenantSeries[]): string {
  const byName = new Map<string, Array<{ tenantId: string; s: SeriesSnapshot }>>()
  for (const { tenantId, series } of tenants) {
    for (const s of series) {
      const list = byName.get(s.name) ?? []
      list.push({ tenantId, s })
      byName.set(s.name, list)
    }
  }
  const out: string[] = []
  for (const name of Object.keys(METRICS) as MetricName[]) {
    out.push(`# HELP ${name} ${escapeHelp(METRICS[name].help)}`, `# TYPE ${name} ${METRICS[name].type}`)
    for (const { tenantId, s } of byName.get(name) ?? []) out.push(...sampleLines(name, tenantId, s))
  }
  return `${out.join('\n')}\n`
}
