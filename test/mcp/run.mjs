#!/usr/bin/env node
/**
 * `npm run test:live` (part): the /mcp server, driven by the official SDK's own
 * client over real HTTP (Streamable HTTP transport) against `npm run dev`:
 * initialize, list the 7 tools, call each, and see a policy denial come back as
 * an MCP tool error while the same call over plain HTTP is a 403.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { startFabric } from '../../bench/lib/server.mjs'
import { fabricApi } from '../helpers/fabric-api.mjs'

const suffix = Date.now().toString(36)
const agentId = `mcp-${suffix}`
const dir = `/mcp-test-${suffix}`
let fabric
let api
let client

function connect(token) {
  const transport = new StreamableHTTPClientTransport(new URL(`${fabric.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } })
  const c = new Client({ name: 'edge-fabric-test', version: '1.0.0' })
  return c.connect(transport).then(() => c)
}


const texts = (result) => result.content.map((c) => c.text)

before(async () => {
  fabric = await startFabric()
  api = fabricApi(fabric)
  assert.equal((await api('POST', '/v1/agents', { id: agentId, heartbeatIntervalSeconds: 0 })).status, 201)
  client = await connect(fabric.token)
})

after(async () => {
  await client?.close()
  if (fabric) {
    await api('DELETE', `/v1/policies/${agentId}-deny-rm`)
    await api('DELETE', `/v1/agents/${agentId}`)
    await fetch(`${fabric.url}/v1/fs${dir}?recursive=1`, { method: 'DELETE', headers: { authorization: `Bearer ${fabric.token}` } })
    fabric.stop()
  }
})

test('initialize names the server, and tools/list has the seven tools', async () => {
  assert.equal(client.getServerVersion()?.name, 'edge-fabric')
  const { tools } = await client.listTools()
  assert.deepEqual(tools.map((t) => t.name).sort(), ['exec', 'get_task', 'list_dir', 'plan', 'read_file', 'submit_task', 'write_file'])
  assert.ok(tools.every((t) => t.description && t.inputSchema.type === 'object'))
})

test('a request without a bearer token is refused before MCP sees it', async () => {
  const response = await fetch(`${fabric.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' })
  assert.equal(response.status, 401)
  assert.equal((await response.json()).error.code, 'UNAUTHORIZED')
  await assert.rejects(connect('not-a-token'))
})

test("the transport's HTTP-level refusals carry registry codes like every route", async () => {
  const headers = { authorization: `Bearer ${fabric.token}`, 'content-type': 'application/json' }
  const noAccept = await fetch(`${fabric.url}/mcp`, { method: 'POST', headers, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' })
  assert.equal(noAccept.status, 400)
  assert.equal((await noAccept.json()).error.code, 'BAD_REQUEST')
  const accept = 'application/json, text/event-stream'
  const garbage = await fetch(`${fabric.url}/mcp`, { method: 'POST', headers: { ...headers, accept }, body: '{"jsonrpc": "2.0", "id"' })
  assert.equal(garbage.status, 400)
  assert.equal((await garbage.json()).error.code, 'INVALID_JSON')
  const get = await fetch(`${fabric.url}/mcp`, { headers: { authorization: headers.authorization, accept: 'text/event-stream' } })
  assert.equal(get.status, 405)
  assert.equal((await get.json()).error.code, 'METHOD_NOT_ALLOWED')
})

test('exec runs echo hi and answers hi, with the ExecResult (and its WAL record) behind it', async () => {
  const result = await client.callTool({ name: 'exec', arguments: { command: 'echo hi' } })
  assert.equal(result.isError, false)
  assert.equal(texts(result)[0], 'hi\n')
  const exec = JSON.parse(texts(result)[1])
  assert.equal(exec.ok, true)
  assert.equal(exec.tier, 1)
  const wal = await api('GET', `/v1/wal?executionId=${exec.executionId}`)
  assert.ok(wal.body.events.some((e) => e.type === 'task.completed'))
})

test('write_file, read_file and list_dir go through the fs route', async () => {
  const written = await client.callTool({ name: 'write_file', arguments: { path: `${dir}/notes.txt`, content: 'hello mcp\n' } })
  assert.equal(written.isError, undefined)
  assert.equal(JSON.parse(texts(written)[0]).size, 10)
  assert.deepEqual(texts(await client.callTool({ name: 'read_file', arguments: { path: `${dir}/notes.txt` } })), ['hello mcp\n'])
  const listing = JSON.parse(texts(await client.callTool({ name: 'list_dir', arguments: { path: dir } }))[0])
  assert.deepEqual(listing.entries.map((e) => e.name), ['notes.txt'])
  const missing = await client.callTool({ name: 'read_file', arguments: { path: `${dir}/nothing` } })
  assert.equal(missing.isError, true)
  assert.match(texts(missing)[0], /^ENOENT: /)
})

test('submit_task queues on the agent and get_task waits for its result', async () => {
  const handle = JSON.parse(texts(await client.callTool({ name: 'submit_task', arguments: { agentId, command: 'echo queued | wc -c' } }))[0])
  assert.match(handle.taskId, /^tsk_/)
  const task = JSON.parse(texts(await client.callTool({ name: 'get_task', arguments: { taskId: handle.taskId, wait: 20 } }))[0])
  assert.equal(task.status, 'completed')
  assert.equal(task.result.stdout, '7\n')
})

test('plan names each stage and its tier without running anything', async () => {
  const plan = JSON.parse(texts(await client.callTool({ name: 'plan', arguments: { command: 'echo {} | jq . | wc -l' } }))[0])
  const stages = plan.stages.map((s) => [s.operation, s.tier])
  assert.deepEqual(stages.slice(0, 3), [['echo', 1], ['jq', 2], ['wc', 1]])
})

test('a policy denial is an MCP tool error with the registry code, as the route answers 403', async () => {
  const policy = { scope: { level: 'agent', id: agentId }, priority: 10, rules: [{ actionPattern: 'exec:rm', effect: 'deny' }] }
  assert.equal((await api('PUT', `/v1/policies/${agentId}-deny-rm`, policy)).status, 201)
  const denied = await client.callTool({ name: 'exec', arguments: { command: 'rm -f /nothing', agentId } })
  assert.equal(denied.isError, true)
  assert.match(texts(denied)[0], /^POLICY_DENIED: policy denies exec:rm/)
  const http = await api('POST', '/v1/exec', { command: 'rm -f /nothing', agentId })
  assert.equal(http.status, 403)
  assert.equal(http.body.error.code, 'POLICY_DENIED')
})

test('bad tool input is refused (exec takes the route\'s own ExecRequest schema) as a tool error', async () => {
  const result = await client.callTool({ name: 'exec', arguments: { command: 'echo x', tier: 1, timeoutMs: -5 } })
  assert.equal(result.isError, true)
  assert.match(texts(result)[0], /VALIDATION_ERROR|Invalid/)
})
