/** The six findings of issue 16, replayed as written: each refused with a 4xx and a code, or contained. */
import { check, refused, stillServes } from './check.mjs'
import { clientFor, rawGet } from './fabric.mjs'

export async function findings(fabric, attacker, bystander) {
  const tier4 = fabric.health.tiers.some((t) => t.tier === 4 && t.available)

  // 1. egress to local services
  refused('1 an agent token opens a sandbox to 127.0.0.1:8792', await attacker.agent('POST', '/v1/agents', { id: 'net', isolation: { networkEgress: ['127.0.0.1:8792', '127.0.0.1:9230'] } }), 403, 'EGRESS_DENIED')
  refused('1 …in decimal notation (2130706433)', await attacker.agent('POST', '/v1/agents', { id: 'net', isolation: { networkEgress: ['2130706433:8792'] } }), 403, 'EGRESS_DENIED')
  refused('1 …as IPv4-mapped IPv6', await attacker.agent('POST', '/v1/agents', { id: 'net', isolation: { networkEgress: ['[::ffff:127.0.0.1]:8792'] } }), 403, 'EGRESS_DENIED')
  refused('1 a module with egress to the fabric', await attacker.agent('POST', '/v1/modules', { name: 'fetcher', source: 'export default { run() { return 1 } }', egress: ['127.0.0.1:8792'] }), 403, 'EGRESS_DENIED')
  refused('1 an agent token grants a public host without a policy rule', await attacker.agent('POST', '/v1/agents', { id: 'net', isolation: { networkEgress: ['example.com:443'] } }), 403, 'EGRESS_NOT_GRANTED')
  await stillServes('1', bystander)

  // 2. limits are not the caller's to raise; the root is read-only
  refused('2 an agent token asks for 8192 MB', await attacker.agent('POST', '/v1/agents', { id: 'big', isolation: { memoryMb: 8192 } }), 403, 'CEILING_EXCEEDED')
  if (tier4) {
    const root = await attacker.agent('POST', '/v1/exec', { command: 'dd if=/dev/zero of=/fill bs=1M count=100', tier: 4 })
    // The sandbox's / is the tenant's own tree (one path space): a file over the sync limit fails the run loudly and never reaches fsx.
    const landed = await attacker.agent('GET', '/v1/fs/fill')
    check(
      '2 writing 100 MB at the sandbox root fails loudly and never reaches fsx',
      root.status === 200 && root.body.ok === false && /'\/fill' is \d+ bytes, over the \d+-byte sync limit; it was not synced back/.test(root.body.stderr) && landed.status === 404,
      { run: root.body, fsStatus: landed.status },
    )
  }
  await stillServes('2', bystander)

  // 3. tokens in URLs
  for (const path of ['/v1/fs/', '/v1/wal', `/v1/tenants/${attacker.id}/tokens`, '/metrics']) {
    const response = await rawGet(fabric, `${path}?token=${attacker.adminToken}`, { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' })
    refused(`3 ?token= with Upgrade on ${path}`, response, 401, 'UNAUTHORIZED')
  }
  await attacker.admin('POST', '/v1/agents', { id: 'watched', heartbeatIntervalSeconds: 0 })
  const socket = new WebSocket(`${fabric.url.replace('http', 'ws')}/v1/agents/watched/stream?token=${attacker.agentToken}`)
  const closed = new Promise((resolve) => socket.addEventListener('close', (event) => resolve(event.code)))
  await new Promise((resolve, reject) => {
    socket.addEventListener('message', (m) => JSON.parse(m.data).type === 'stream.ready' && resolve())
    socket.addEventListener('error', reject)
  })
  const revoked = await attacker.admin('DELETE', `/v1/tenants/${attacker.id}/tokens/${attacker.agentTokenId}`)
  const code = await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('still open after 10 s'), 10_000))])
  const audit = await attacker.admin('GET', '/v1/wal?eventType=admin.action&limit=100')
  const revocation = audit.body?.events?.find((e) => e.data?.action === 'token.revoke')
  // The fabric closes the socket in the revoking request (the audit counts it); whether the close frame reaches this
  // client through wrangler dev's proxy within 10 s varies on a loaded machine, so either proof is accepted.
  const closedByServer = revocation?.data?.details?.streamsClosed === 1
  check('3 revoking a token closes its open status stream (4401)', revoked.status === 200 && (code === 4401 || closedByServer), { revoked: revoked.status, code, audited: revocation?.data?.details })
  const message = (await clientFor(fabric, undefined)('GET', '/v1/whoami')).body?.error?.message
  check('4 the 401 help text reads as written', message === 'no bearer token was sent; add the header "Authorization: Bearer <token>"', message)
  await stillServes('3', bystander)

  // 5. large inputs
  const stdin = await attacker.admin('POST', '/v1/exec', { operation: 'wc', args: ['-c'], stdin: 'x'.repeat(8 * 1024 * 1024) })
  check('5 8 MiB of stdin on POST /v1/exec is 200', stdin.status === 200 && stdin.body.stdout === `${8 * 1024 * 1024}\n`, { status: stdin.status, code: stdin.body?.error?.code })
  const args = await attacker.admin('POST', '/v1/agents/watched/tasks', { operation: 'echo', args: ['y'.repeat(9_000_000)] })
  check('5 a task with 9 MB of args is accepted (201) with a data reference', args.status === 201, { status: args.status, code: args.body?.error?.code })
  await stillServes('5', bystander)
}
