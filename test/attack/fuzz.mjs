/**
 * 1,000 fuzzed requests, bodies from 0 to 10 MiB (and just over), at every body-taking route: random
 * bytes, truncated and deeply nested JSON, valid JSON with wrong types, huge strings in known fields.
 * The answer must never be 5xx.
 */
import { randomBytes } from 'node:crypto'
import { check, stillServes } from './check.mjs'

const MiB = 1024 * 1024
const ROUTES = ['/v1/exec', '/v1/agents', '/v1/agents/fuzz/tasks', '/v1/modules', '/v1/policies/fuzz', '/v1/killswitch', '/v1/sagas', '/v1/intents', '/v1/policy/check', '/v1/fs/fuzz.bin']

/** Mostly small, some large: size = 10 MiB × u^10, plus the edges. */
function sizeOf(i) {
  const edges = [0, 1, 10 * MiB - 64, 10 * MiB, 10 * MiB + 1]
  return i < edges.length ? edges[i] : Math.floor(10 * MiB * Math.random() ** 10)
}

function bodyOf(i, size) {
  switch (i % 5) {
    case 0: return randomBytes(size)
    case 1: return Buffer.from(`{"command":"${'a'.repeat(Math.max(0, size - 14))}"}`)
    case 2: return Buffer.from('['.repeat(Math.min(size, 100_000)))
    case 3: return Buffer.from(JSON.stringify({ operation: 'cat', stdin: 'x'.repeat(Math.max(0, size - 40)), args: [1, null, {}] }))
    default: return Buffer.from(JSON.stringify({ id: 'fuzz', steps: 'x'.repeat(Math.max(0, size - 30)), rules: size }))
  }
}

export async function fuzz(fabric, t, bystander, total = 1000) {
  const statuses = new Map()
  const fives = []
  let next = 0
  async function worker() {
    while (next < total) {
      const i = next++
      const size = sizeOf(i)
      const route = ROUTES[i % ROUTES.length]
      const method = route.startsWith('/v1/policies/') || route.startsWith('/v1/fs/') ? 'PUT' : 'POST'
      const response = await t.admin(method, route, undefined, { raw: bodyOf(i, size), headers: { 'content-type': i % 7 === 0 ? 'text/plain' : 'application/json' } })
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
      if (response.status >= 500) fives.push({ route, size, status: response.status, body: response.text.slice(0, 200) })
    }
  }
  await Promise.all(Array.from({ length: 6 }, worker))
  check(`fuzz: ${total} requests, bodies 0 to 10 MiB + 1: 0 × 5xx (statuses ${JSON.stringify(Object.fromEntries(statuses))})`, fives.length === 0, fives.slice(0, 5))
  await stillServes('fuzz', bystander)
}
