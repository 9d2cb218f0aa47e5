/**
 * What an isolate sends to the metrics Durable Object: additive deltas, one per
 * series, so deltas from many isolates and objects sum to the true total in any
 * order. Gauges are the exception that needs an order: `gauge_set` carries its
 * wall-clock time and the newest one wins.
 */
import { z } from 'zod'

const LabelsSchema = z.record(z.string().max(64), z.string().max(1024))

export const MetricDeltaSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('counter'), name: z.string(), labels: LabelsSchema, value: z.number().nonnegative().finite() }),
  z.object({ kind: z.literal('gauge_add'), name: z.string(), labels: LabelsSchema, value: z.number().finite() }),
  z.object({ kind: z.literal('gauge_set'), name: z.string(), labels: LabelsSchema, value: z.number().finite(), at: z.number().int() }),
  z.object({
    kind: z.literal('histogram'),
    name: z.string(),
    labels: LabelsSchema,
    /** Observations per bucket (not cumulative); the last entry is the +Inf bucket. */
    bucketCounts: z.array(z.number().int().nonnegative()).max(64),
    sum: z.number().finite(),
    count: z.number().int().nonnegative(),
  }),
])

export type MetricDelta = z.infer<typeof MetricDeltaSchema>

/** At most this many deltas per call to the metrics object; a flush sends more calls when it has more. */
export const MAX_DELTAS_PER_CALL = 500

/** Series identity inside one tenant: name plus labels in a fixed order. */
export function seriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]])
  return `${name}${JSON.stringify(sorted)}`
}

/** Folds `next` into `into` (same series, same kind); returns false when the kinds differ. */
export function mergeDelta(into: MetricDelta, next: MetricDelta): boolean {
  if (into.kind === 'counter' && next.kind === 'counter') into.value += next.value
  else if (into.kind === 'gauge_add' && next.kind === 'gauge_add') into.value += next.value
  else if (into.kind === 'gauge_set' && next.kind === 'gauge_set') {
    if (next.at >= into.at) Object.assign(into, { value: next.value, at: next.at })
  } else if (into.kind === 'histogram' && next.kind === 'histogram' && into.bucketCounts.length === next.bucketCounts.length) {
    next.bucketCounts.forEach((n, i) => (into.bucketCounts[i] = (into.bucketCounts[i] ?? 0) + n))
    into.sum += next.sum
    into.count += next.count
  } else return false
  return true
}

/**
 * Adds `delta` to a set of deltas keyed by series (by default its name and
 * labels): merged into the entry of its series, or replacing it when the
 * kinds clash (the newer delta wins).
 */
export function foldDelta(into: Map<string, MetricDelta>, delta: MetricDelta, key = seriesKey(delta.name, delta.labels)): void {
  const existing = into.get(key)
  if (!existing || !mergeDelta(existing, delta)) into.set(key, delta)
}
