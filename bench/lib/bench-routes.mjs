/**
 * The fabric's bench-only routes (src/index.ts, served on a local fabric when
 * the bench sets BENCH_BARE_ROUTE=on), as operations a scenario can time: the
 * bare hello-world answer of the same `wrangler dev`, and the durable-write
 * floor (one Durable Object request answered once one write is durable).
 */
async function expectText(response, expected, what) {
  const text = await response.text()
  if (!response.ok || text !== expected) throw new Error(`${what} → ${response.status}: ${text.slice(0, 200)} (is BENCH_BARE_ROUTE on?)`)
}

export function benchRoutes(fabric) {
  return {
    bare: async () => expectText(await fetch(`${fabric.url}/__bench/hello`), 'hello', 'GET /__bench/hello'),
    durableWrite: async () => expectText(await fetch(`${fabric.url}/__bench/durable-write`), 'written', 'GET /__bench/durable-write'),
  }
}
