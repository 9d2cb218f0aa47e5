import { describe, expect, it } from 'vitest'
import type { FileSystem } from '../../../types/execution'
import { ALL_BYTES, BACKENDS, expectFsError, openFs } from './backends'

async function seedTree(fs: FileSystem): Promise<void> {
  await fs.write('/src/a.txt', 'A', { parents: true })
  await fs.write('/src/bin/all.bin', ALL_BYTES, { parents: true })
  await fs.mkdir('/src/empty')
}

describe.each(BACKENDS)('fsx %s: rename and copy', (backend) => {
  it('renames a file, keeping its bytes and mtime, and replaces an existing file', async () => {
    const fs = openFs(backend)
    await fs.write('/old.bin', ALL_BYTES)
    const { mtime } = await fs.stat('/old.bin')
    await fs.write('/taken', 'will be replaced')
    await fs.rename('/old.bin', 'taken')
    expect(await fs.exists('/old.bin')).toBe(false)
    expect(await fs.read('/taken')).toEqual(ALL_BYTES)
    expect((await fs.stat('/taken')).mtime).toBe(mtime)
    await fs.rename('/taken', '/taken')
    expect(await fs.read('/taken')).toEqual(ALL_BYTES)
  })

  it('renames a directory with everything below it, including empty subdirectories', async () => {
    const fs = openFs(backend)
    await seedTree(fs)
    await fs.mkdir('/dst')
    await fs.rename('/src', '/dst/moved')
    expect(await fs.exists('/src')).toBe(false)
    expect(await fs.glob('/**')).toEqual(['/dst', '/dst/moved', '/dst/moved/a.txt', '/dst/moved/bin', '/dst/moved/bin/all.bin', '/dst/moved/empty'])
    expect(await fs.read('/dst/moved/bin/all.bin')).toEqual(ALL_BYTES)
    expect(await fs.readdir('/dst/moved/empty')).toEqual([])
  })

  it('renames a directory onto an empty directory but not onto a non-empty one or a file', async () => {
    const fs = openFs(backend)
    await seedTree(fs)
    await fs.mkdir('/vacant')
    await fs.write('/full/x', 'x', { parents: true })
    await fs.write('/plain', 'p')
    await expectFsError(fs.rename('/src', '/full'), 'ENOTEMPTY', '/full')
    await expectFsError(fs.rename('/src', '/plain'), 'ENOTDIR', '/plain')
    await expectFsError(fs.rename('/plain', '/full'), 'EISDIR', '/full')
    await fs.rename('/src', '/vacant')
    expect(await fs.readText('/vacant/a.txt')).toBe('A')
  })

  it('refuses to move a directory into itself, the root, a missing source or a missing parent', async () => {
    const fs = openFs(backend)
    await seedTree(fs)
    await expectFsError(fs.rename('/src', '/src/bin/inner'), 'EINVAL', '/src/bin/inner')
    await expectFsError(fs.rename('/', '/elsewhere'), 'EACCES', '/')
    await expectFsError(fs.rename('/src', '/'), 'EACCES', '/')
    await expectFsError(fs.rename('/ghost', '/g2'), 'ENOENT', '/ghost')
    await expectFsError(fs.rename('/src/a.txt', '/no/such/dir/a.txt'), 'ENOENT', '/no/such/dir/a.txt')
    expect(await fs.readText('/src/a.txt')).toBe('A')
  })

  it('copies a file, leaving the source, and refuses directories without recursive', async () => {
    const fs = openFs(backend)
    await seedTree(fs)
    await fs.copy('/src/bin/all.bin', '/copy.bin')
    expect(await fs.read('/copy.bin')).toEqual(ALL_BYTES)
    expect(await fs.read('/src/bin/all.bin')).toEqual(ALL_BYTES)
    await expectFsError(fs.copy('/src', '/dup'), 'EISDIR', '/src')
    await expectFsError(fs.copy('/copy.bin', '/copy.bin'), 'EINVAL', '/copy.bin')
    await expectFsError(fs.copy('/copy.bin', '/src'), 'EISDIR', '/src')
    await expectFsError(fs.copy('/nothing', '/x'), 'ENOENT', '/nothing')
  })

  it('copies a tree recursively and merges into an existing directory', async () => {
    const fs = openFs(backend)
    await seedTree(fs)
    await fs.copy('/src', '/dup', { recursive: true })
    expect(await fs.glob('/dup/**')).toEqual(['/dup/a.txt', '/dup/bin', '/dup/bin/all.bin', '/dup/empty'])
    expect(await fs.read('/dup/bin/all.bin')).toEqual(ALL_BYTES)
    await fs.write('/dup/a.txt', 'changed')
    await fs.write('/dup/extra', 'kept')
    await fs.copy('/src', '/dup', { recursive: true })
    expect(await fs.readText('/dup/a.txt')).toBe('A')
    expect(await fs.readText('/dup/extra')).toBe('kept')
    expect(await fs.glob('/src/**')).toEqual(['/src/a.txt', '/src/bin', '/src/bin/all.bin', '/src/empty'])
    await expectFsError(fs.copy('/src', '/src/bin/again', { recursive: true }), 'EINVAL', '/src/bin/again')
  })

  it('refuses a merge where a file would meet a directory, before copying anything', async () => {
    const fs = openFs(backend)
    await seedTree(fs)
    await fs.write('/clash/bin', 'a file where src has a directory', { parents: true })
    await expectFsError(fs.copy('/src', '/clash', { recursive: true }), 'ENOTDIR', '/clash/bin')
    await fs.write('/clash2/a.txt/inner', 'a directory where src has a file', { parents: true })
    await expectFsError(fs.copy('/src', '/clash2', { recursive: true }), 'EISDIR', '/clash2/a.txt')
    expect(await fs.glob('/clash*/**')).toEqual(['/clash/bin', '/clash2/a.txt', '/clash2/a.txt/inner'])
  })
})
