/**
 * Network: none by default; hosts on the allow-list reachable through
 * sandboxd's proxy (a unix socket bind-mounted into the sandbox, relayed from
 * 127.0.0.1:3128 inside); everything else refused. The client inside is bash's
 * /dev/tcp speaking HTTP by hand, so nothing beyond bash is assumed.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExecResponse } from '../../sandboxd/protocol'
import { startTestSandboxd, type TestSandboxd } from './helpers'

let sandboxd: TestSandboxd
let hostServer: Server
let hostPort: number

beforeAll(async () => {
  // The host server is on loopback: reachable only because the operator opened 127.0.0.1 (tenants cannot).
  sandboxd = await startTestSandboxd({ SANDBOXD_EGRESS_ALLOW_INTERNAL: '127.0.0.1' })
  hostServer = createServer((req, res) => res.end(`hello from the host: ${req.method} ${req.url}`))
  await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve))
  hostPort = (hostServer.address() as AddressInfo).port
})
afterAll(async () => {
  await sandboxd.close()
  await new Promise((resolve) => hostServer.close(resolve))
})

const run = (sandbox: string, script: string, networkEgress: string[]) =>
  sandboxd.post<ExecResponse>(`/v1/sandboxes/t1/${sandbox}/exec`, { argv: ['bash', '-c', script], isolation: { networkEgress } })

/** Sends `request` to the in-sandbox proxy at 127.0.0.1:3128 and prints the answer. */
const throughProxy = (request: string) =>
  `exec 3<>/dev/tcp/127.0.0.1/3128 && printf '${request}' >&3 && cat <&3`

describe('egress', () => {
  it('forwards a plain HTTP request to an allow-listed host', async () => {
    const request = `GET http://127.0.0.1:${hostPort}/plain HTTP/1.1\\r\\nHost: 127.0.0.1:${hostPort}\\r\\n\\r\\n`
    const result = await run('allowed', throughProxy(request), [`127.0.0.1:${hostPort}`])
    expect(result.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(result.stdout.endsWith('hello from the host: GET /plain')).toBe(true)
  })

  it('tunnels CONNECT to an allow-listed host', async () => {
    const request = `CONNECT 127.0.0.1:${hostPort} HTTP/1.1\\r\\n\\r\\nGET /tunnel HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n`
    const result = await run('allowed', throughProxy(request), [`127.0.0.1:${hostPort}`])
    expect(result.stdout.startsWith('HTTP/1.1 200 Connection Established\r\n\r\nHTTP/1.1 200 OK\r\n')).toBe(true)
    expect(result.stdout.endsWith('hello from the host: GET /tunnel')).toBe(true)
  })

  it('refuses a host or port that is not on the list, and logs the decision', async () => {
    const otherPort = hostPort === 65_535 ? hostPort - 1 : hostPort + 1
    const result = await run('allowed', throughProxy(`CONNECT 127.0.0.1:${otherPort} HTTP/1.1\\r\\n\\r\\n`), [`127.0.0.1:${hostPort}`])
    expect(result.stdout).toBe(
      'HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nx-sandboxd-error: EGRESS_DENIED\r\nconnection: close\r\n\r\n' +
        `sandboxd: 127.0.0.1:${otherPort} is not on this sandbox's egress allow-list\n`,
    )
    const decision = sandboxd.logs.map((line) => JSON.parse(line)).find((entry) => entry.message === 'egress' && entry.port === otherPort)
    expect(decision).toMatchObject({ tenant: 't1', sandbox: 'allowed', host: '127.0.0.1', allowed: false })
  })

  it('refuses a name that resolves to an internal address, even when the name is allowed', async () => {
    const result = await run('by-name', throughProxy(`CONNECT localhost:${hostPort} HTTP/1.1\\r\\n\\r\\n`), [`localhost:${hostPort}`])
    expect(result.stdout).toContain('HTTP/1.1 403 Forbidden')
    expect(result.stdout).toContain('localhost resolves only to internal addresses')
  })

  it('cannot go around the proxy, even to an allow-listed address', async () => {
    const result = await run('allowed', `echo > /dev/tcp/127.0.0.1/${hostPort}`, [`127.0.0.1:${hostPort}`])
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('Connection refused')
  })

  it('has no proxy at all without an allow-list', async () => {
    const result = await run('closed', 'echo > /dev/tcp/127.0.0.1/3128; env | grep -ci proxy', [])
    expect(result.stderr).toContain('Connection refused')
    expect(result.stdout).toBe('0\n')
  })

  it('rejects malformed allow-list entries', async () => {
    const response = await sandboxd.call('/v1/sandboxes/t1/bad', {
      method: 'PUT',
      body: JSON.stringify({ isolation: { networkEgress: ['ok.example.com', 'http://x/y', '*.1.2.3.4'] } }),
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('invalid egress allow-list entries: http://x/y, *.1.2.3.4')
  })
})

describe('egress to internal addresses without the operator setting', () => {
  let strict: TestSandboxd
  beforeAll(async () => {
    strict = await startTestSandboxd()
  })
  afterAll(() => strict.close())

  const connect = (authority: string, allow: string) =>
    strict.post<ExecResponse>('/v1/sandboxes/t1/strict/exec', {
      argv: ['bash', '-c', throughProxy(`CONNECT ${authority} HTTP/1.1\\r\\n\\r\\n`)],
      isolation: { networkEgress: [allow] },
    })

  it('refuses a loopback literal at connect time even when the allow-list names it', async () => {
    for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]', '[::1]']) {
      const result = await connect(`${host}:${hostPort}`, `${host}:${hostPort}`)
      expect(result.stdout, host).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n[^]*x-sandboxd-error: EGRESS_DENIED/)
      expect(result.stdout, host).toContain('is an internal address (loopback); only the operator can open it')
    }
  })

  it('refuses other notations of loopback (decimal, hex) that a URL parser folds to 127.0.0.1', async () => {
    for (const host of ['2130706433', '0x7f.1']) {
      const result = await connect(`${host}:${hostPort}`, `127.0.0.1:${hostPort}`)
      expect(result.stdout, host).toContain('127.0.0.1 is an internal address (loopback)')
    }
  })
})
