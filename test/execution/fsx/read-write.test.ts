import { describe, expect, it } from 'vitest'
import { FsError, isFsError } from '../../../src/execution/fsx/index'
import { ALL_BYTES, BACKENDS, INVALID_UTF8, expectFsError, openFs, readAll } from './backends'

describe.each(BACKENDS)('fsx %s: reading and writing', (backend) => {
  it('returns exactly the bytes written: all 256 byte values and invalid UTF-8', async () => {
    const fs = openFs(backend)
    await fs.write('/all.bin', ALL_BYTES)
    await fs.write('/bad.bin', INVALID_UTF8)
    expect(await fs.read('/all.bin')).toEqual(ALL_BYTES)
    expect(await fs.read('/bad.bin')).toEqual(INVALID_UTF8)
    expect(await readAll(await fs.readStream('/all.bin'))).toEqual(ALL_BYTES)
    expect((await fs.stat('/all.bin')).size).toBe(256)
  })

  it('encodes strings as UTF-8 and readText decodes them, replacing invalid sequences', async () => {
    const fs = openFs(backend)
    await fs.write('/text.txt', 'héllo ✓ 🙂\n')
    expect(await fs.read('/text.txt')).toEqual(new TextEncoder().encode('héllo ✓ 🙂\n'))
    expect(await fs.readText('/text.txt')).toBe('héllo ✓ 🙂\n')
    await fs.write('/bad.txt', Uint8Array.of(0x61, 0xff, 0x62))
    expect(await fs.readText('/bad.txt')).toBe('a\uFFFDb')
    await fs.write('/bom.txt', Uint8Array.of(0xef, 0xbb, 0xbf, 0x78))
    expect(await fs.readText('/bom.txt')).toBe('\uFEFFx')
  })

  it('overwrites a file and appends to it, creating it on the first append', async () => {
    const fs = openFs(backend)
    await fs.write('/log', 'first version that is long')
    await fs.write('/log', 'one\n')
    await fs.append('/log', 'two\n')
    await fs.append('/log', Uint8Array.of(0, 255))
    expect(await fs.read('/log')).toEqual(Uint8Array.of(...new TextEncoder().encode('one\ntwo\n'), 0, 255))
    await fs.append('/fresh', 'x')
    expect(await fs.readText('/fresh')).toBe('x')
  })

  it('writes and reads an empty file', async () => {
    const fs = openFs(backend)
    await fs.write('/empty', '')
    expect(await fs.read('/empty')).toEqual(new Uint8Array(0))
    expect(await readAll(await fs.readStream('/empty'))).toEqual(new Uint8Array(0))
    expect((await fs.stat('/empty')).size).toBe(0)
  })

  it('stores a copy: mutating the written or the returned array changes nothing', async () => {
    const fs = openFs(backend)
    const data = Uint8Array.of(1, 2, 3)
    await fs.write('/f', data)
    data[0] = 9
    const read = await fs.read('/f')
    read[1] = 9
    expect(await fs.read('/f')).toEqual(Uint8Array.of(1, 2, 3))
  })

  it('stats files and directories with type, size, mode and an mtime taken at write time', async () => {
    const fs = openFs(backend)
    const before = Date.now()
    await fs.mkdir('/dir')
    await fs.write('/dir/f.txt', 'hello')
    const after = Date.now()
    const file = await fs.stat('dir/./f.txt')
    expect({ ...file, mtime: 0 }).toEqual({ path: '/dir/f.txt', type: 'file', size: 5, mtime: 0, mode: 0o644 })
    expect(file.mtime).toBeGreaterThanOrEqual(before)
    expect(file.mtime).toBeLessThanOrEqual(after)
    const dir = await fs.stat('/dir/')
    expect({ ...dir, mtime: 0 }).toEqual({ path: '/dir', type: 'directory', size: 0, mtime: 0, mode: 0o755 })
    expect(dir.mtime).toBeGreaterThanOrEqual(before)
    expect(await fs.stat('/')).toEqual({ path: '/', type: 'directory', size: 0, mtime: 0, mode: 0o755 })
  })

  it('refuses reads of missing files and directories with ENOENT and EISDIR, naming the path as given', async () => {
    const fs = openFs(backend)
    await fs.mkdir('/docs')
    await expectFsError(fs.read('docs/../nope.txt'), 'ENOENT', 'docs/../nope.txt')
    await expectFsError(fs.readText('/docs'), 'EISDIR', '/docs')
    await expectFsError(fs.readStream('/docs/'), 'EISDIR', '/docs/')
    await expectFsError(fs.read('/'), 'EISDIR', '/')
    await expectFsError(fs.stat('/missing'), 'ENOENT', '/missing')
    const error = await fs.read('/nope').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(FsError)
    expect(isFsError(error)).toBe(true)
    expect(isFsError(new Error('ENOENT'))).toBe(false)
    expect((error as FsError).message).toBe("ENOENT: No such file or directory: '/nope'")
    expect((error as FsError).reason).toBe('No such file or directory')
  })

  it('writes need an existing parent directory unless parents is set', async () => {
    const fs = openFs(backend)
    await expectFsError(fs.write('/a/b/c.txt', 'x'), 'ENOENT', '/a/b/c.txt')
    expect(await fs.exists('/a')).toBe(false)
    await fs.write('/a/b/c.txt', 'x', { parents: true })
    expect(await fs.readdir('/a')).toEqual([{ name: 'b', type: 'directory' }])
    expect((await fs.stat('/a/b')).type).toBe('directory')
    await expectFsError(fs.write('/a/b/c.txt/d', 'x'), 'ENOTDIR', '/a/b/c.txt/d')
    await expectFsError(fs.write('/a/b/c.txt/d/e', 'x', { parents: true }), 'ENOTDIR', '/a/b/c.txt/d/e')
    await expectFsError(fs.write('/a/b', 'x'), 'EISDIR', '/a/b')
    await expectFsError(fs.append('/a', 'x'), 'EISDIR', '/a')
    await expectFsError(fs.write('/', 'x'), 'EISDIR', '/')
  })
})
