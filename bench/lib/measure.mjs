/** Latency sampling: run a request N times (after warm-up) and summarise. */

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)]
}

export function summarise(samplesMs) {
  const sorted = [...samplesMs].sort((a, b) => a - b)
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((s, x) => s + x, 0) / sorted.length,
  }
}

/** The `<name>_p50_ms` / `<name>_p99_ms` figures of one summary, as the reports name them. */
export function latencyFigures(name, stats) {
  return { [`${name}_p50_ms`]: stats.p50, [`${name}_p99_ms`]: stats.p99 }
}

/**
 * Measures several named operations interleaved (A, B, A, B, …) so a noisy
 * neighbour slows them alike and their ratio holds.
 */
export async function sampleInterleaved(operations, { iterations, warmup = 20 }) {
  const names = Object.keys(operations)
  for (let i = 0; i < warmup; i++) for (const name of names) await operations[name]()
  const samples = Object.fromEntries(names.map((name) => [name, []]))
  for (let i = 0; i < iterations; i++) {
    for (const name of names) {
      const start = performance.now()
      await operations[name]()
      samples[name].push(performance.now() - start)
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarise(samples[name])]))
}

/** Runs `work` with `concurrency` workers until `total` items are done; returns items/second. */
export async function throughput(total, concurrency, work) {
  let next = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await work(next++)
    }),
  )
  return total / ((performance.now() - start) / 1000)
}

/**
 * Several named operations at `concurrency` clients each, in alternating
 * rounds (A at 8 clients, B at 8 clients, A, B, …) so a noisy neighbour slows
 * both alike. Per name: requests/second over its rounds and the latency of
 * every request; given a `meter` (cpu.mjs), also the CPU milliseconds per
 * request of each part it reads (`cpuMs`).
 */
export async function throughputInterleaved(operations, { perRound, rounds, concurrency, meter }) {
  const totals = Object.fromEntries(Object.keys(operations).map((name) => [name, { ms: 0, done: 0, samples: [], cpu: {} }]))
  for (let round = 0; round < rounds; round++) {
    for (const [name, operation] of Object.entries(operations)) {
      const total = totals[name]
      let next = 0
      const cpuBefore = meter?.()
      const start = performance.now()
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < perRound) {
            next++
            const begin = performance.now()
            await operation()
            total.samples.push(performance.now() - begin)
          }
        }),
      )
      total.ms += performance.now() - start
      total.done += perRound
      if (cpuBefore) for (const [part, used] of Object.entries(meter())) total.cpu[part] = (total.cpu[part] ?? 0) + used - cpuBefore[part]
    }
  }
  return Object.fromEntries(
    Object.entries(totals).map(([name, total]) => {
      const cpuMs = Object.fromEntries(Object.entries(total.cpu).map(([part, ms]) => [part, ms / total.done]))
      return [name, { perSecond: total.done / (total.ms / 1000), ...summarise(total.samples), ...(meter ? { cpuMs } : {}) }]
    }),
  )
}
