import { describe, expect, it } from 'vitest'
import { call, json } from '../helpers/http'

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i)

describe.each(['memory', 'r2', 'kv'] as const)('/v1/fs on the %s backend', (backend) => {
  const q = `?backend=${backend}`

  it('round-trips bytes exactly (all 256 byte values)', async () => {
    const put = await call('PUT', `/v1/fs/dir/all.bin${q}`, { rawBody: ALL_BYTES })
    expect(put.status).toBe(201)
    expect(await json(put)).toMatchObject({ path: '/dir/all.bin', size: 256 })
    const get = await call('GET', `/v1/fs/dir/all.bin${q}`)
    expect(get.status).toBe(200)
    expect(get.headers.get('content-length')).toBe('256')
    expect(new Uint8Array(await get.arrayBuffer())).toEqual(ALL_BYTES)
  })

  it('lists a directory on GET', async () => {
    await call('PUT', `/v1/fs/list/b.txt${q}`, { rawBody: 'b' })
    await call('PUT', `/v1/fs/list/a.txt${q}`, { rawBody: 'a' })
    await call('PUT', `/v1/fs/list/sub/c.txt${q}`, { rawBody: 'c' })
    const response = await call('GET', `/v1/fs/list${q}`)
    expect(response.status).toBe(200)
    expect(await json(response)).toEqual({
      path: '/list',
      type: 'directory',
      entries: [
        { name: 'a.txt', type: 'file' },
        { name: 'b.txt', type: 'file' },
        { name: 'sub', type: 'directory' },
      ],
    })
  })

  it('deletes a directory only with ?recursive=1', async () => {
    await call('PUT', `/v1/fs/gone/x.txt${q}`, { rawBody: 'x' })
    const refused = await call('DELETE', `/v1/fs/gone${q}`)
    expect(refused.status).toBe(400)
    expect((await json<{ error: { code: string } }>(refused)).error.code).toBe('EISDIR')
    const deleted = await call('DELETE', `/v1/fs/gone${q}&recursive=1`)
    expect(deleted.status).toBe(200)
    const after = await call('GET', `/v1/fs/gone/x.txt${q}`)
    expect(after.status).toBe(404)
    expect((await json<{ error: { code: string } }>(after)).error.code).toBe('ENOENT')
  })
})

describe('/v1/fs path confinement', () => {
  // URL parsing already folds literal and %2e dot segments, so the escape that
  // reaches the Worker is one with encoded slashes.
  it('refuses an encoded ../ traversal with 400 EACCES', async () => {
    const response = await call('GET', '/v1/fs/a/..%2F..%2F..%2Fetc%2Fpasswd')
    expect(response.status).toBe(400)
    expect((await json<{ error: { code: string } }>(response)).error.code).toBe('EACCES')
  })

  it('refuses a NUL byte in a path with 400 EINVAL', async () => {
    const response = await call('PUT', '/v1/fs/a%00b', { rawBody: 'x' })
    expect(response.status).toBe(400)
    expect((await json<{ error: { code: string } }>(response)).error.code).toBe('EINVAL')
  })

  it('refuses an unknown backend with 400', async () => {
    const response = await call('GET', '/v1/fs/a.txt?backend=disk')
    expect(response.status).toBe(400)
    expect((await json<{ error: { code: string } }>(response)).error.code).toBe('VALIDATION_ERROR')
  })

  it('keeps each tenant in its own root', async () => {
    await call('PUT', '/v1/fs/private.txt?backend=r2', { rawBody: 'dev only' })
    const keys = (await (await import('cloudflare:workers')).env.FILES.list({ prefix: 'tenants/dev/' })).objects.map((o) => o.key)
    expect(keys.some((k) => k.endsWith('/private.txt'))).toBe(true)
  })
})

describe('/v1/fs query parameters', () => {
  it('names only the parameter that is wrong: backend=s3 is about backend, not recursive', async () => {
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await call(method, '/v1/fs/x.txt?backend=s3')
      const body = await json<{ error: { code: string; message: string } }>(response)
      expect([method, response.status, body.error.code]).toEqual([method, 400, 'VALIDATION_ERROR'])
      expect(body.error.message).toContain('backend must be memory, r2 or kv')
      expect(body.error.message).not.toContain('recursive')
    }
  })
})
