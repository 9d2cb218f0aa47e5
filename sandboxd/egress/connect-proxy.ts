/**
 * The egress proxy of one sandbox: an HTTP proxy on a unix socket that is
 * bind-mounted (read-only) into the sandbox, which has no network interface
 * but loopback. Inside, egress-forwarder.mjs relays 127.0.0.1:3128 to this
 * socket and HTTP(S)_PROXY points there, so:
 *
 *   - `CONNECT host:port` (HTTPS and any TCP) is tunnelled when allowed;
 *   - `GET http://host/…` (absolute-form, plain HTTP) is forwarded when allowed;
 *   - anything else gets 403 (not allowed) or 400 (not a proxy request).
 *
 * The sandbox cannot go around it: the socket is its only way out of the
 * network namespace. sandboxd resolves names and connects to the address it
 * checked, so a second DNS answer cannot redirect an allowed name.
 */
import { lookup } from 'node:dns/promises'
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { connect, isIP, type Socket } from 'node:net'
import { chmod, rm } from 'node:fs/promises'
import type { Duplex } from 'node:stream'
import { operatorAllows, internalKind } from './address.ts'
import { findAllowing, isInternalAddress, type AllowEntry } from './allow-list.ts'

export interface EgressProxy {
  close(): Promise<void>
}

export type EgressLog = (event: { host: string; port: number; allowed: boolean; reason?: string }) => void

type Target = { ok: true; address: string; port: number } | { ok: false; reason: string }

/**
 * The address to connect to for `host:port`, checked twice: the allow-list
 * (what the grant said) and what the address is (decided now, after
 * resolving, so a DNS answer or a literal in another notation cannot reach
 * internal services). Internal hosts pass only when the operator named them.
 */
async function resolveTarget(entries: readonly AllowEntry[], allowInternal: ReadonlySet<string>, host: string, port: number): Promise<Target> {
  const allowing = findAllowing(entries, host, port)
  if (!allowing) return { ok: false, reason: `${host}:${port} is not on this sandbox's egress allow-list` }
  const bare = host.replace(/^\[(.*)\]$/, '$1')
  const internalOk = operatorAllows(allowInternal, bare)
  if (isIP(bare)) {
    if (isInternalAddress(bare) && !internalOk) return { ok: false, reason: `${host} is an internal address (${internalKind(bare)}); only the operator can open it (SANDBOXD_EGRESS_ALLOW_INTERNAL)` }
    return { ok: true, address: bare, port }
  }
  let addresses: { address: string }[]
  try {
    addresses = await lookup(bare, { all: true })
  } catch {
    return { ok: false, reason: `${host} does not resolve` }
  }
  const usable = addresses.find((a) => internalOk || !isInternalAddress(a.address))
  if (!usable) return { ok: false, reason: `${host} resolves only to internal addresses; only the operator can open it (SANDBOXD_EGRESS_ALLOW_INTERNAL)` }
  return { ok: true, address: usable.address, port }
}

function parseAuthority(authority: string, defaultPort: number): { host: string; port: number } | null {
  try {
    const url = new URL(`http://${authority}`)
    return { host: url.hostname, port: url.port === '' ? defaultPort : Number(url.port) }
  } catch {
    return null
  }
}

const DENIED_HEADERS = 'content-type: text/plain\r\nx-sandboxd-error: EGRESS_DENIED\r\nconnection: close\r\n'

function refuseTunnel(socket: Duplex, status: string, reason: string): void {
  socket.end(`HTTP/1.1 ${status}\r\n${DENIED_HEADERS}\r\nsandboxd: ${reason}\n`)
}

function refuseRequest(res: ServerResponse, status: number, reason: string): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'x-sandboxd-error': 'EGRESS_DENIED', connection: 'close' })
  res.end(`sandboxd: ${reason}\n`)
}

/** Hop-by-hop and proxy headers stay with the proxy. */
function forwardedHeaders(req: IncomingMessage, host: string): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || /^(proxy-|connection$|keep-alive$|upgrade$|te$|trailer$)/i.test(name)) continue
    headers[name] = value
  }
  headers.host = host
  headers.connection = 'close'
  return headers
}

export async function startEgressProxy(
  socketPath: string,
  allowList: () => readonly AllowEntry[],
  log: EgressLog,
  allowInternal: ReadonlySet<string> = new Set(),
): Promise<EgressProxy> {
  const server = createServer()
  const sockets = new Set<Socket | Duplex>()

  server.on('connect', async (req: IncomingMessage, client: Duplex, head: Buffer) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => client.destroy())
    const authority = parseAuthority(req.url ?? '', 443)
    if (!authority) return refuseTunnel(client, '400 Bad Request', `'${req.url}' is not host:port`)
    const target = await resolveTarget(allowList(), allowInternal, authority.host, authority.port)
    log({ ...authority, allowed: target.ok, ...(target.ok ? {} : { reason: target.reason }) })
    if (!target.ok) return refuseTunnel(client, '403 Forbidden', target.reason)
    const upstream = connect(target.port, target.address)
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    let connected = false
    upstream.on('connect', () => {
      connected = true
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', (error) => {
      if (connected) client.destroy()
      else refuseTunnel(client, '502 Bad Gateway', `cannot reach ${authority.host}:${authority.port}: ${error.message}`)
    })
    client.on('close', () => upstream.destroy())
  })

  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    let url: URL
    try {
      url = new URL(req.url ?? '')
    } catch {
      return refuseRequest(res, 400, 'send requests through this proxy in absolute form (http://host/path), or use CONNECT')
    }
    if (url.protocol !== 'http:') return refuseRequest(res, 400, `use CONNECT for ${url.protocol} URLs`)
    const port = url.port === '' ? 80 : Number(url.port)
    const target = await resolveTarget(allowList(), allowInternal, url.hostname, port)
    log({ host: url.hostname, port, allowed: target.ok, ...(target.ok ? {} : { reason: target.reason }) })
    if (!target.ok) return refuseRequest(res, 403, target.reason)
    const upstream = httpRequest(
      { host: target.address, port, method: req.method, path: `${url.pathname}${url.search}`, headers: forwardedHeaders(req, url.host), setHost: false },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers)
        response.pipe(res)
      },
    )
    upstream.on('error', (error) => (res.headersSent ? res.destroy() : refuseRequest(res, 502, error.message)))
    req.pipe(upstream)
  })

  await rm(socketPath, { force: true })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => resolve())
  })
  // The run dir around the socket is the sandbox uid's, mode 0700: only that sandbox (and root) gets here.
  await chmod(socketPath, 0o666)

  return {
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await rm(socketPath, { force: true })
    },
  }
}
