/**
 * Tokens in URLs (issue 16, finding 3): `?token=` authenticates only the
 * WebSocket status stream, and revoking or rotating a token closes the
 * streams it opened.
 */
import { exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { TOKEN_REVOKED_CLOSE_CODE } from '../../src/agent/stream'
import { json } from '../helpers/http'
import { newTenant, tokenWith, type ErrorBody, type TenantClient } from '../helpers/tenants'

let admin: TenantClient

beforeAll(async () => {
  admin = await newTenant()
  expect((await admin.call('POST', '/v1/agents', { id: 'watched', heartbeatIntervalSeconds: 0 })).status).toBe(201)
})

const upgrade = (path: string, token: string) =>
  exports.default.fetch(new Request(`http://fabric.test${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`, { headers: { upgrade: 'websocket' } }))

/** Opens the status stream with ?token= and resolves once it is ready, with a promise of its close event. */
async function openStream(token: string): Promise<{ socket: WebSocket; closed: Promise<CloseEvent> }> {
  const response = await upgrade('/v1/agents/watched/stream', token)
  expect(response.status).toBe(101)
  const socket = response.webSocket as WebSocket
  const closed = new Promise<CloseEvent>((resolve) => socket.addEventListener('close', resolve))
  const ready = new Promise<void>((resolve) => socket.addEventListener('message', (m) => JSON.parse(m.data as string).type === 'stream.ready' && resolve()))
  socket.accept()
  await ready
  return { socket, closed }
}

describe('?token= outside the stream route', () => {
  it.each(['/v1/fs/', '/v1/wal', '/metrics', '/v1/whoami', '/v1/agents', '/v1/agents/watched'])('GET %s with Upgrade and ?token= is 401', async (path) => {
    const response = await upgrade(path, admin.token)
    expect(response.status).toBe(401)
    expect((await json<ErrorBody>(response)).error.code).toBe('UNAUTHORIZED')
  })

  it('the token list is not readable with ?token= either', async () => {
    const response = await upgrade(`/v1/tenants/${admin.tenantId}/tokens`, admin.token)
    expect(response.status).toBe(401)
  })

  it('the 401 help text reads as written', async () => {
    const response = await exports.default.fetch(new Request('http://fabric.test/v1/whoami'))
    expect((await json<ErrorBody>(response)).error.message).toBe('no bearer token was sent; add the header "Authorization: Bearer <token>"')
  })
})

describe('revocation ends open streams', () => {
  it('revoking a token closes the stream it opened; another token\'s stream stays open', async () => {
    const doomed = await tokenWith(admin, ['read'])
    const kept = await tokenWith(admin, ['read'])
    const first = await openStream(doomed.token)
    const second = await openStream(kept.token)
    const whoami = await json<{ tokenId: string }>(await doomed.call('GET', '/v1/whoami'))
    const revoked = await admin.call('DELETE', `/v1/tenants/${admin.tenantId}/tokens/${whoami.tokenId}`)
    expect(revoked.status).toBe(200)
    const event = await first.closed
    expect([event.code, event.reason]).toEqual([TOKEN_REVOKED_CLOSE_CODE, 'token revoked: reconnect with a live token'])
    expect(second.socket.readyState).toBe(WebSocket.OPEN)
    second.socket.close(1000, 'done')
    expect((await upgrade('/v1/agents/watched/stream', doomed.token)).status).toBe(401)
  })

  it('rotating a token closes the streams of the old value', async () => {
    const rotating = await tokenWith(admin, ['read'])
    const stream = await openStream(rotating.token)
    const whoami = await json<{ tokenId: string }>(await rotating.call('GET', '/v1/whoami'))
    expect((await admin.call('POST', `/v1/tenants/${admin.tenantId}/tokens/${whoami.tokenId}/rotate`)).status).toBe(201)
    expect((await stream.closed).code).toBe(TOKEN_REVOKED_CLOSE_CODE)
  })
})
