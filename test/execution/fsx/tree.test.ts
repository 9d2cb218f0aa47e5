/**
 * `FileSystem.tree`: the whole tree under a directory from one listing of the backend, with what readdir
 * and stat would have said of every entry (the tier-4 sync lists fsx this way before every run).
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { DirectoryTree } from '../../../src/execution/fsx/directory-tree'
import { KvStore } from '../../../src/execution/fsx/kv-store'
import { R2Store } from '../../../src/execution/fsx/r2-store'
import { BACKENDS, expectFsError, freshRoot, openFs, putRaw, walkedTree } from './backends'

describe.each(BACKENDS)('fsx %s: tree', (backend) => {
  it('answers what a walk of readdir and stat answers: files, markers, modes, implied directories', async () => {
    const root = freshRoot()
    const fs = openFs(backend, root)
    await fs.write('/a.txt', 'alpha')
    await fs.write('/src/deep/y.ts', 'export {}', { parents: true })
    await fs.write('/src/x.ts', 'x')
    await fs.mkdir('/empty')
    await fs.mkdir('/private', { mode: 0o700 })
    await fs.write('/private/key', 'k')
    // Written behind fsx's back: no markers, so `raw` and `raw/nested` exist only through what is inside.
    await putRaw(backend, `${root}/raw/nested/z.txt`, 'zz')
    const walked = await walkedTree(fs)
    expect(walked.map((entry) => `${entry.type[0]} ${entry.path} ${entry.mode?.toString(8)}`)).toEqual([
      'f a.txt 644',
      'd empty 755',
      'd private 700',
      'f private/key 644',
      'd raw 755',
      'd raw/nested 755',
      'f raw/nested/z.txt 644',
      'd src 755',
      'd src/deep 755',
      'f src/deep/y.ts 644',
      'f src/x.ts 644',
    ])
    expect(await fs.tree('/', 100)).toEqual({ entries: walked, truncated: false })
    expect(await fs.tree('/src', 100)).toEqual({ entries: await walkedTree(fs, '/src'), truncated: false })
  })

  it('stops at maxEntries and says it did', async () => {
    const fs = openFs(backend)
    await fs.write('/d/one', '1', { parents: true })
    await fs.write('/d/two', '2')
    await fs.write('/three', '3')
    const all = await walkedTree(fs)
    expect(all).toHaveLength(4)
    expect(await fs.tree('/', 4)).toEqual({ entries: all, truncated: false })
    const cut = await fs.tree('/', 3)
    expect(cut.truncated).toBe(true)
    expect(cut.entries).toHaveLength(3)
  })

  it('refuses a directory that is not there, or a file, as readdir does', async () => {
    const fs = openFs(backend)
    await fs.write('/file', 'f')
    await expectFsError(fs.tree('/missing', 10), 'ENOENT', '/missing')
    await expectFsError(fs.tree('/file', 10), 'ENOTDIR', '/file')
    expect(await fs.tree('/', 10)).toEqual({ entries: [{ path: 'file', type: 'file', size: 1, mtime: (await fs.stat('/file')).mtime, mode: 0o644 }], truncated: false })
  })
})

describe.each(['r2', 'kv'] as const)('fsx %s: tree across listing pages', (backend) => {
  it('lists every entry of a directory larger than a page', async () => {
    const root = freshRoot()
    const store = backend === 'r2' ? new R2Store(env.FILES, 7) : new KvStore(env.KV, 7)
    const fs = new DirectoryTree(store, root, 1024)
    await Promise.all(Array.from({ length: 30 }, (_, i) => fs.write(`/f${String(i).padStart(2, '0')}`, String(i))))
    const listing = await fs.tree('/', 1000)
    expect(listing.entries.map((entry) => entry.path)).toEqual(Array.from({ length: 30 }, (_, i) => `f${String(i).padStart(2, '0')}`))
    expect(listing).toEqual({ entries: await walkedTree(fs), truncated: false })
    expect((await fs.tree('/', 29)).truncated).toBe(true)
  })
})
