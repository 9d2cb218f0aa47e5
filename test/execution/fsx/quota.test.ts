/**
 * The tenant tree's disk quota (issue 16, finding 2) on every backend: writes, appends, streams and
 * copies that would take the tree over it fail DISK_QUOTA_EXCEEDED naming the quota, nothing of a
 * refused write stays, shrinking and deleting always work, and the count starts from what is stored.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createFileSystem, type FileSystemBackend } from '../../../src/execution/fsx/index'
import { BACKENDS, freshRoot, patternStream } from './backends'

const QUOTA = 1000

function quotaFs(backend: FileSystemBackend, root = freshRoot()) {
  return createFileSystem(backend, { root, bindings: { FILES: env.FILES, KV: env.KV }, quotaBytes: async () => QUOTA })
}

const bytes = (n: number) => new Uint8Array(n).fill(97)

describe.each(BACKENDS)('disk quota (%s)', (backend) => {
  it('accepts writes up to the quota and refuses the one that would go over, naming the quota', async () => {
    const fs = quotaFs(backend)
    await fs.write('/a', bytes(600))
    await fs.write('/b', bytes(400))
    const over = fs.write('/c', bytes(1))
    await expect(over).rejects.toMatchObject({ code: 'DISK_QUOTA_EXCEEDED', path: '/c' })
    await expect(over).rejects.toThrow("the tenant's files would take 1001 bytes, over its disk quota of 1000 bytes (ceiling diskMb)")
    expect(await fs.exists('/c')).toBe(false)
    expect(await fs.diskQuota?.()).toBe(QUOTA)
  })

  it('counts an overwrite as the difference, and lets a file shrink or go', async () => {
    const fs = quotaFs(backend)
    await fs.write('/a', bytes(900))
    await fs.write('/a', bytes(1000))
    await expect(fs.append('/a', 'x')).rejects.toMatchObject({ code: 'DISK_QUOTA_EXCEEDED' })
    await fs.write('/a', bytes(10))
    await fs.rm('/a')
    await fs.write('/b', bytes(1000))
    expect((await fs.stat('/b')).size).toBe(1000)
  })

  it('counts what another filesystem instance already stored, and refuses copies over the quota', async () => {
    const root = freshRoot()
    await quotaFs(backend, root).write('/a', bytes(700))
    const fs = quotaFs(backend, root)
    await expect(fs.write('/b', bytes(301))).rejects.toMatchObject({ code: 'DISK_QUOTA_EXCEEDED' })
    await expect(fs.copy('/a', '/a2')).rejects.toMatchObject({ code: 'DISK_QUOTA_EXCEEDED', path: '/a2' })
    expect(await fs.exists('/a2')).toBe(false)
  })

  it('takes a stream of unannounced size back out when it went over', async () => {
    const fs = quotaFs(backend)
    await fs.write('/a', bytes(500))
    await expect(fs.write('/s', patternStream(501, 100))).rejects.toMatchObject({ code: 'DISK_QUOTA_EXCEEDED', path: '/s' })
    expect(await fs.exists('/s')).toBe(false)
    await fs.write('/s', patternStream(500, 100))
    expect((await fs.stat('/s')).size).toBe(500)
  })
})
