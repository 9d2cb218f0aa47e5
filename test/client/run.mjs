#!/usr/bin/env node
/**
 * `npm run test:live` (part): `edge-fabric/client` against `npm run dev`.
 * The committed client/openapi.d.ts must be what the live fabric's
 * /openapi.json generates (so the typed calls cannot drift from the routes);
 * calls answer typed data; refusals throw FabricClientError with the registry
 * code; and the README's `node -e` example runs as written.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createClient, FabricClientError } from 'edge-fabric/client'
import { startFabric } from '../../bench/lib/server.mjs'
import { createBenchTenant } from '../../bench/lib/tenant.mjs'
import { CLIENT_TYPES_FILE, clientTypes } from '../../scripts/client-types.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const agentId = `client-${Date.now().toString(36)}`
let fabric
let fabricClient

before(async () => {
  fabric = await startFabric()
  fabricClient = createClient({ baseUrl: fabric.url, token: fabric.token })
})

after(async () => {
  if (fabric) {
    await fabricClient.DELETE('/v1/agents/{id}', { params: { path: { id: agentId } } }).catch(() => undefined)
    fabric.stop()
  }
})

test('client/openapi.d.ts is what the running fabric documents (npm run client:types regenerates it)', async () => {
  const document = await (await fetch(`${fabric.url}/openapi.json`)).json()
  assert.equal(readFileSync(CLIENT_TYPES_FILE, 'utf8'), await clientTypes(document))
})

test('typed calls: whoami, spawn, submit, wait for the task, exec', async () => {
  const { data: me } = await fabricClient.GET('/v1/whoami')
  assert.equal(me.tenantId, 'dev')
  const { data: agent, response } = await fabricClient.POST('/v1/agents', { body: { id: agentId, heartbeatIntervalSeconds: 0 } })
  assert.equal(response.status, 201)
  assert.equal(agent.state, 'RUNNING')
  const { data: handle } = await fabricClient.POST('/v1/agents/{id}/tasks', { params: { path: { id: agentId } }, body: { command: 'printf abc | wc -c' } })
  const { data: task } = await fabricClient.GET('/v1/tasks/{id}', { params: { path: { id: handle.taskId }, query: { wait: 20 } } })
  assert.equal(task.status, 'completed')
  const { data: result } = await fabricClient.POST('/v1/exec', { body: { command: 'echo typed | tr a-z A-Z', agentId } })
  assert.equal(result.stdout, 'TYPED\n')
  // echo is a shell builtin (no routed stage); tr is a routed tier-1 stage.
  assert.deepEqual(result.stages?.map((s) => [s.operation, s.tier]), [['tr', 1]])
})

test('a refusal throws FabricClientError with the status and the registry code', async () => {
  await assert.rejects(
    fabricClient.GET('/v1/agents/{id}', { params: { path: { id: `${agentId}-missing` } } }),
    (error) => error instanceof FabricClientError && error.status === 404 && error.code === 'NOT_FOUND' && error.message.startsWith('NOT_FOUND: '),
  )
  const stranger = createClient({ baseUrl: fabric.url, token: 'not-a-token' })
  await assert.rejects(stranger.GET('/v1/whoami'), (error) => error instanceof FabricClientError && error.status === 401 && error.code === 'UNAUTHORIZED')
  await assert.rejects(
    fabricClient.POST('/v1/exec', { body: { command: 'echo x', args: [] } }),
    (error) => error instanceof FabricClientError && error.status === 400 && error.code === 'VALIDATION_ERROR',
  )
})

test('a custom fetch (as a Worker passes its service binding) carries every call', async () => {
  const seen = []
  const viaBinding = createClient({
    baseUrl: 'https://fabric.internal',
    token: fabric.token,
    fetch: (request) => {
      seen.push(`${request.method} ${new URL(request.url).pathname} ${request.headers.get('authorization') === `Bearer ${fabric.token}`}`)
      return fetch(new Request(request.url.replace('https://fabric.internal', fabric.url), request))
    },
  })
  const { data } = await viaBinding.GET('/health')
  assert.equal(data.status, 'ok')
  assert.deepEqual(seen, ['GET /health true'])
})

test("the README's node -e example runs as written", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const example = readme.match(/<!-- client-example -->\n```sh\n([\s\S]*?)```/)
  assert.ok(example, 'README has the client example')
  const output = execFileSync('sh', ['-c', example[1]], { cwd: root, env: { ...process.env, FABRIC_URL: fabric.url, FABRIC_TOKEN: fabric.token }, encoding: 'utf8' })
  assert.match(output, /^dev \[ 'admin' \]\nhi\n$/)
})

test('16 clients running 20 execs each on one agent get each its own answer under wrangler dev (execs share agent calls: src/agent/exec-coalescer.ts)', async () => {
  // Slow and quick lines mixed, so execs wait for running calls and join groups; every request must come back
  // with its own answer (a request that only awaits another request's call must not be cancelled as hung).
  const line = (client, n) => (n % 5 === 0 ? `seq 1 100000000 | head -1; echo ${client}-${n}` : `echo ${client}-${n}`)
  const expected = (client, n) => (n % 5 === 0 ? `1\n${client}-${n}\n` : `${client}-${n}\n`)
  // A tenant of its own whose rate limit the load stays under (the dev tenant's 50/s would refuse some).
  const busy = createClient({ baseUrl: fabric.url, token: (await createBenchTenant(fabric)).token })
  const clients = Array.from({ length: 16 }, async (_, client) => {
    const seen = []
    for (let n = 0; n < 20; n++) {
      const { data } = await busy.POST('/v1/exec', { body: { command: line(client, n), backend: 'memory' } })
      seen.push(data.stdout === expected(client, n) ? 'ok' : `${client}-${n}: ${JSON.stringify(data).slice(0, 200)}`)
    }
    return seen
  })
  const seen = (await Promise.all(clients)).flat()
  assert.deepEqual(
    seen.filter((outcome) => outcome !== 'ok'),
    [],
  )
  assert.equal(seen.length, 320)
})
