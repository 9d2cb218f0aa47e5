/**
 * The metric totals of one tenant, in its MetricsDO's SQLite: one row per
 * series, plus the label values seen so far (for the cardinality cap) and the
 * ids of applied batches (so a retried batch counts once).
 */
import {
  CLOSED_LABEL_VALUES,
  DEFAULT_LABEL_VALUE_CAP,
  LABEL_VALUE_CAPS,
  MAX_LABEL_VALUE_LENGTH,
  METRICS,
  OVERFLOW_LABEL_VALUE,
  isMetricName,
  type MetricDefinition,
} from './catalog'
import type { Migration } from '../../core/storage-migrations'
import { foldDelta, MetricDeltaSchema, seriesKey, type MetricDelta } from './delta'

/** Applied batch ids are remembered this long; a retry comes within seconds, not days. */
const BATCH_MEMORY_MS = 24 * 60 * 60 * 1000

export interface SeriesSnapshot {
  name: string
  labels: Record<string, string>
  /** Counter or gauge value; 0 for histograms. */
  value: number
  /** Histograms: sum and count of observations, and per-bucket (not cumulative) counts, +Inf last. */
  sum: number
  count: number
  buckets: number[] | null
}

export interface ApplyOutcome {
  applied: number
  /** Deltas refused: unknown metric, wrong kind, wrong label names, wrong bucket count. */
  rejected: number
  /** True when a batch id was applied before and that batch was skipped. */
  duplicate: boolean
}

/** MetricsDO's storage, oldest first. `IF NOT EXISTS`: objects made before storage versioning created these tables on their own. */
export const METRICS_MIGRATIONS: readonly Migration[] = [
  [
    `CREATE TABLE IF NOT EXISTS metric_series (
    name TEXT NOT NULL,
    labels TEXT NOT NULL,
    value REAL NOT NULL DEFAULT 0,
    sum REAL NOT NULL DEFAULT 0,
    count INTEGER NOT NULL DEFAULT 0,
    buckets TEXT,
    set_at INTEGER,
    PRIMARY KEY (name, labels)
  )`,
    `CREATE TABLE IF NOT EXISTS metric_label_values (
    name TEXT NOT NULL, label TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (name, label, value)
  )`,
    `CREATE TABLE IF NOT EXISTS metric_batches (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS metric_batches_applied_at ON metric_batches (applied_at)`,
  ],
]

const KIND_FOR_TYPE: Record<MetricDefinition['type'], ReadonlyArray<MetricDelta['kind']>> = {
  counter: ['counter'],
  gauge: ['gauge_add', 'gauge_set'],
  histogram: ['histogram'],
}

/** Keeps a label value within the cardinality rule of catalog.ts: closed sets, then per-label caps. */
function boundedValue(sql: SqlStorage, name: string, label: string, raw: string): string {
  const value = raw.slice(0, MAX_LABEL_VALUE_LENGTH)
  const closed = CLOSED_LABEL_VALUES[label]
  if (closed) return closed.has(value) ? value : OVERFLOW_LABEL_VALUE
  if (value === OVERFLOW_LABEL_VALUE) return value
  const known = sql.exec('SELECT 1 FROM metric_label_values WHERE name = ? AND label = ? AND value = ?', name, label, value).toArray()
  if (known.length > 0) return value
  const [{ n }] = sql.exec<{ n: number }>('SELECT count(*) AS n FROM metric_label_values WHERE name = ? AND label = ?', name, label).toArray() as [{ n: number }]
  if (n >= (LABEL_VALUE_CAPS[label] ?? DEFAULT_LABEL_VALUE_CAP)) return OVERFLOW_LABEL_VALUE
  sql.exec('INSERT INTO metric_label_values (name, label, value) VALUES (?, ?, ?)', name, label, value)
  return value
}

/** Labels in a fixed key order, or undefined when the names differ from the catalog's. */
function canonicalLabels(sql: SqlStorage, name: string, def: MetricDefinition, labels: Record<string, string>): string | undefined {
  const given = Object.keys(labels).sort()
  const expected = [...def.labels].sort()
  if (given.length !== expected.length || given.some((k, i) => k !== expected[i])) return undefined
  const bounded: Record<string, string> = {}
  for (const label of expected) bounded[label] = boundedValue(sql, name, label, labels[label] as string)
  return JSON.stringify(bounded)
}

function applyOne(sql: SqlStorage, delta: MetricDelta): boolean {
  if (!isMetricName(delta.name)) return false
  const def: MetricDefinition = METRICS[delta.name]
  if (!KIND_FOR_TYPE[def.type].includes(delta.kind)) return false
  if (delta.kind === 'histogram' && delta.bucketCounts.length !== (def.buckets?.length ?? 0) + 1) return false
  const labels = canonicalLabels(sql, delta.name, def, delta.labels)
  if (labels === undefined) return false

  switch (delta.kind) {
    case 'counter':
    case 'gauge_add':
      sql.exec(
        `INSERT INTO metric_series (name, labels, value) VALUES (?, ?, ?)
         ON CONFLICT (name, labels) DO UPDATE SET value = value + excluded.value`,
        delta.name,
        labels,
        delta.value,
      )
      return true
    case 'gauge_set':
      sql.exec(
        `INSERT INTO metric_series (name, labels, value, set_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name, labels) DO UPDATE SET value = excluded.value, set_at = excluded.set_at
         WHERE excluded.set_at >= coalesce(set_at, 0)`,
        delta.name,
        labels,
        delta.value,
        delta.at,
      )
      return true
    case 'histogram': {
      const [row] = sql.exec<{ buckets: string }>('SELECT buckets FROM metric_series WHERE name = ? AND labels = ?', delta.name, labels).toArray()
      const prior = row ? (JSON.parse(row.buckets) as number[]) : []
      const buckets = delta.bucketCounts.map((n, i) => n + (prior[i] ?? 0))
      sql.exec(
        `INSERT INTO metric_series (name, labels, sum, count, buckets) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name, labels) DO UPDATE SET sum = sum + excluded.sum, count = count + excluded.count, buckets = excluded.buckets`,
        delta.name,
        labels,
        delta.sum,
        delta.count,
        JSON.stringify(buckets),
      )
      return true
    }
  }
}

/** Applies one batch of deltas (call inside a transaction); each delta is parsed on its own, so one bad delta does not sink the rest. */
export function applyBatch(sql: SqlStorage, batchId: string, deltas: readonly unknown[], now: number): ApplyOutcome {
  return applyBatches(sql, [{ batchId, deltas }], now)
}

/**
 * Several batches in one call (call inside a transaction): what a flush sends
 * when it includes batches carried by agent calls. Each id is applied once;
 * the deltas of the new batches are summed per series first, so a flush of a
 * thousand small carried batches writes each series once.
 */
export function applyBatches(sql: SqlStorage, batches: readonly { batchId: string; deltas: readonly unknown[] }[], now: number): ApplyOutcome {
  sql.exec('DELETE FROM metric_batches WHERE applied_at < ?', now - BATCH_MEMORY_MS)
  const merged = new Map<string, MetricDelta>()
  let rejected = 0
  let duplicate = false
  for (const batch of batches) {
    // One statement per batch: the insert answers a row only for an id not seen before.
    if (sql.exec('INSERT INTO metric_batches (id, applied_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING RETURNING id', batch.batchId, now).toArray().length === 0) {
      duplicate = true
      continue
    }
    for (const raw of batch.deltas) {
      const parsed = MetricDeltaSchema.safeParse(raw)
      if (!parsed.success) {
        rejected++
        continue
      }
      // Keyed by kind too: a set and an add of one gauge sent by different isolates are both applied, neither dropped.
      foldDelta(merged, parsed.data, `${parsed.data.kind}:${seriesKey(parsed.data.name, parsed.data.labels)}`)
    }
  }
  let applied = 0
  for (const delta of merged.values()) {
    if (applyOne(sql, delta)) applied++
    else rejected++
  }
  return { applied, rejected, duplicate }
}

interface SeriesRow extends Record<string, SqlStorageValue> {
  name: string
  labels: string
  value: number
  sum: number
  count: number
  buckets: string | null
}

export function readSeries(sql: SqlStorage): SeriesSnapshot[] {
  return sql
    .exec<SeriesRow>('SELECT name, labels, value, sum, count, buckets FROM metric_series ORDER BY name, labels')
    .toArray()
    .map((row) => ({
      name: row.name,
      labels: JSON.parse(row.labels) as Record<string, string>,
      value: row.value,
      sum: row.sum,
      count: row.count,
      buckets: row.buckets === null ? null : (JSON.parse(row.buckets) as number[]),
    }))
}
