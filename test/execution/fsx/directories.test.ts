import { describe, expect, it } from 'vitest'
import { BACKENDS, expectFsError, freshRoot, openFs, putRaw } from './backends'

describe.each(BACKENDS)('fsx %s: directories', (backend) => {
  it('lists a directory sorted by code point with exact types', async () => {
    const fs = openFs(backend)
    expect(await fs.readdir('/')).toEqual([])
    await fs.mkdir('/src')
    await fs.mkdir('/src/lib')
    for (const name of ['b.ts', 'B.ts', 'a.ts', '_x', 'é.txt', '😀.txt', '\uFFFD.txt']) await fs.write(`/src/${name}`, name)
    await fs.write('/src/lib/deep.ts', '')
    expect(await fs.readdir('/src')).toEqual([
      { name: 'B.ts', type: 'file' },
      { name: '_x', type: 'file' },
      { name: 'a.ts', type: 'file' },
      { name: 'b.ts', type: 'file' },
      { name: 'lib', type: 'directory' },
      { name: 'é.txt', type: 'file' },
      { name: '\uFFFD.txt', type: 'file' },
      { name: '😀.txt', type: 'file' },
    ])
    expect(await fs.readdir('/')).toEqual([{ name: 'src', type: 'directory' }])
  })

  it('refuses to list what is missing or a file', async () => {
    const fs = openFs(backend)
    await fs.write('/file', 'x')
    await expectFsError(fs.readdir('/nope'), 'ENOENT', '/nope')
    await expectFsError(fs.readdir('file'), 'ENOTDIR', 'file')
  })

  it('mkdir creates one level, refuses what exists or lacks a parent, and -p is idempotent', async () => {
    const fs = openFs(backend)
    await fs.mkdir('/empty')
    expect(await fs.readdir('/empty')).toEqual([])
    expect(await fs.exists('/empty')).toBe(true)
    await expectFsError(fs.mkdir('/empty'), 'EEXIST', '/empty')
    await expectFsError(fs.mkdir('/'), 'EEXIST', '/')
    await expectFsError(fs.mkdir('/x/y'), 'ENOENT', '/x/y')
    await fs.mkdir('/x/y/z', { recursive: true })
    await fs.mkdir('/x/y/z', { recursive: true })
    await fs.mkdir('/', { recursive: true })
    expect(await fs.readdir('/x/y')).toEqual([{ name: 'z', type: 'directory' }])
    await fs.write('/x/file', 'f')
    await expectFsError(fs.mkdir('/x/file'), 'EEXIST', '/x/file')
    await expectFsError(fs.mkdir('/x/file', { recursive: true }), 'EEXIST', '/x/file')
    await expectFsError(fs.mkdir('/x/file/sub', { recursive: true }), 'ENOTDIR', '/x/file/sub')
    await expectFsError(fs.mkdir('/x/file/sub'), 'ENOTDIR', '/x/file/sub')
  })

  it('rm removes files, refuses directories without recursive, and -r removes a whole tree', async () => {
    const fs = openFs(backend)
    await fs.write('/t/a/1.txt', '1', { parents: true })
    await fs.write('/t/a/b/2.txt', '2', { parents: true })
    await fs.mkdir('/t/empty')
    await fs.write('/keep', 'k')
    await fs.rm('/keep')
    expect(await fs.exists('/keep')).toBe(false)
    await expectFsError(fs.rm('/keep'), 'ENOENT', '/keep')
    await fs.rm('/keep', { force: true })
    await expectFsError(fs.rm('/t/empty'), 'EISDIR', '/t/empty')
    await fs.rm('/t', { recursive: true })
    expect(await fs.exists('/t')).toBe(false)
    expect(await fs.exists('/t/a/b/2.txt')).toBe(false)
    expect(await fs.readdir('/')).toEqual([])
    await expectFsError(fs.rm('/', { recursive: true, force: true }), 'EACCES', '/')
  })

  it('rm -r of one directory leaves a sibling with a common name prefix alone', async () => {
    const fs = openFs(backend)
    await fs.write('/dir/a', 'a', { parents: true })
    await fs.write('/dir2/b', 'b', { parents: true })
    await fs.write('/dir.txt', 'c')
    await fs.rm('/dir', { recursive: true })
    expect(await fs.readdir('/')).toEqual([
      { name: 'dir.txt', type: 'file' },
      { name: 'dir2', type: 'directory' },
    ])
    expect(await fs.readText('/dir2/b')).toBe('b')
  })

  it('sees directories implied by objects written without markers', async () => {
    const root = `tenants/implied${crypto.randomUUID().replaceAll('-', '')}`
    const fs = openFs(backend, root)
    await putRaw(backend, `${root}/ext/deep/file.txt`, 'from a sandbox')
    expect(await fs.stat('/ext')).toEqual({ path: '/ext', type: 'directory', size: 0, mtime: 0, mode: 0o755 })
    expect(await fs.readdir('/ext')).toEqual([{ name: 'deep', type: 'directory' }])
    expect(await fs.readText('/ext/deep/file.txt')).toBe('from a sandbox')
    expect((await fs.stat('/ext/deep/file.txt')).size).toBe(14)
    await fs.write('/ext/deep/new.txt', 'parent exists')
    await fs.rename('/ext', '/moved')
    expect(await fs.glob('/moved/**')).toEqual(['/moved/deep', '/moved/deep/file.txt', '/moved/deep/new.txt'])
    expect(await fs.exists('/ext')).toBe(false)
  })

  it('leaves out stored names that no fsx path could reach', async () => {
    const root = freshRoot()
    const fs = openFs(backend, root)
    for (const key of ['ok.txt', 'odd//empty', 'dot/./x', 'up/../../x', 'ctl\u0001/x']) await putRaw(backend, `${root}/${key}`, key)
    expect(await fs.readdir('/')).toEqual([
      { name: 'dot', type: 'directory' },
      { name: 'odd', type: 'directory' },
      { name: 'ok.txt', type: 'file' },
      { name: 'up', type: 'directory' },
    ])
    expect(await fs.readdir('/odd')).toEqual([])
    expect(await fs.readdir('/up')).toEqual([])
    expect(await fs.glob('/**')).toEqual(['/dot', '/odd', '/ok.txt', '/up'])
  })
})
