import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { DirectoryTree } from '../../../src/execution/fsx/directory-tree'
import { KvStore } from '../../../src/execution/fsx/kv-store'
import { R2Store } from '../../../src/execution/fsx/r2-store'
import { freshRoot, putRaw } from './backends'

/**
 * R2 and KV return at most 1000 keys per list call. Writing 1000+ objects
 * locally takes ~10 s, so the stores run here with 7-key pages: the same
 * cursor loops and batch deletes, exercised over 6+ pages.
 */
const PAGE_SIZE = 7
const COUNT = 45

const stores = {
  r2: () => new R2Store(env.FILES, PAGE_SIZE),
  kv: () => new KvStore(env.KV, PAGE_SIZE),
} as const

describe.each(['r2', 'kv'] as const)('fsx %s: directories larger than a listing page', (backend) => {
  it('lists, globs, copies and removes every entry across pages', async () => {
    const root = freshRoot()
    const fs = new DirectoryTree(stores[backend](), root, 1024)
    await fs.mkdir('/many')
    const names = Array.from({ length: COUNT }, (_, i) => `f${String(i).padStart(3, '0')}`)
    await Promise.all(names.map((name) => putRaw(backend, `${root}/many/${name}`, name)))
    const listed = await fs.readdir('/many')
    expect(listed.map((entry) => entry.name)).toEqual(names)
    expect(new Set(listed.map((entry) => entry.type))).toEqual(new Set(['file']))
    expect(await fs.glob('/many/f01?')).toEqual(Array.from({ length: 10 }, (_, i) => `/many/f01${i}`))
    await fs.copy('/many', '/again', { recursive: true })
    expect((await fs.readdir('/again')).length).toBe(COUNT)
    expect(await fs.readText('/again/f044')).toBe('f044')
    await fs.rm('/many', { recursive: true })
    await fs.rm('/again', { recursive: true })
    expect(await fs.readdir('/')).toEqual([])
    expect(await fs.glob('/**')).toEqual([])
  })
})
