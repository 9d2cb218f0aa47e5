/** Reads the Prometheus text format that GET /metrics answers: one sample per line, `name{label="v",…} value`. */
export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue
    const match = LINE.exec(line)
    if (!match) continue
    const labels: Record<string, string> = {}
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = value!.replace(/\\(.)/g, '$1')
    samples.push({ name: match[1]!, labels, value: Number(match[3]) })
  }
  return samples
}

/** The sum of one metric's samples per value of a label (across tenants and agents). */
export function sumBy(samples: Sample[], name: string, label: string): Map<string, number> {
  const totals = new Map<string, number>()
  for (const s of samples) if (s.name === name) totals.set(s.labels[label] ?? '', (totals.get(s.labels[label] ?? '') ?? 0) + s.value)
  return totals
}

/** A histogram's cumulative buckets turned into counts per bucket, per value of `label` (e.g. tier). */
export function bucketCounts(samples: Sample[], name: string, label: string): Map<string, { le: number; count: number }[]> {
  const cumulative = new Map<string, Map<number, number>>()
  for (const s of samples) {
    if (s.name !== name) continue
    const key = s.labels[label] ?? ''
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le)
    const buckets = cumulative.get(key) ?? new Map<number, number>()
    buckets.set(le, (buckets.get(le) ?? 0) + s.value)
    cumulative.set(key, buckets)
  }
  const out = new Map<string, { le: number; count: number }[]>()
  for (const [key, buckets] of cumulative) {
    const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0])
    out.set(key, sorted.map(([le, total], i) => ({ le, count: total - (i > 0 ? sorted[i - 1]![1] : 0) })))
  }
  return out
}
