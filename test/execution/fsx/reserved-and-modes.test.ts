/**
 * One path space with tier 4: the system directories the sandbox mounts over
 * the tenant's root are reserved (nothing can be created under them), and a
 * directory keeps the mode it was made with, so `mkdir -m 700 /d && ls -ld /d`
 * answers the same on every tier.
 */
import { describe, expect, it } from 'vitest'
import { RESERVED_ROOT_NAMES } from '../../../types/sandbox-paths'
import { BACKENDS, expectFsError, freshRoot, openFs, putRaw } from './backends'

describe.each(BACKENDS)('fsx %s: reserved system directories', (backend) => {
  it('refuses to create files or directories under every reserved name, naming the path', async () => {
    const fs = openFs(backend)
    for (const name of RESERVED_ROOT_NAMES) {
      await expectFsError(fs.write(`/${name}/x`, 'x', { parents: true }), 'RESERVED_PATH', `/${name}/x`)
      await expectFsError(fs.mkdir(`/${name}`), 'RESERVED_PATH', `/${name}`)
    }
    await expectFsError(fs.write('/tmp', 'x'), 'RESERVED_PATH', '/tmp')
    await expectFsError(fs.mkdir('etc/ssl', { recursive: true }), 'RESERVED_PATH', 'etc/ssl')
    await expectFsError(fs.append('/usr/local/x', 'x'), 'RESERVED_PATH', '/usr/local/x')
    await fs.write('/a.txt', 'a')
    await expectFsError(fs.rename('/a.txt', '/bin/a'), 'RESERVED_PATH', '/bin/a')
    await expectFsError(fs.copy('/a.txt', '/tmp/a'), 'RESERVED_PATH', '/tmp/a')
    expect(await fs.readdir('/')).toEqual([{ name: 'a.txt', type: 'file' }])
  })

  it('the message says what to do instead', async () => {
    const fs = openFs(backend)
    const error = await fs.write('/tmp/scratch', 'x').catch((thrown: unknown) => thrown)
    expect(String(error)).toContain("RESERVED_PATH: Read-only file system: '/tmp/scratch' (/tmp is one of the system directories tier 4 mounts")
    expect(String(error)).toContain('e.g. /work/tmp/scratch')
  })

  it('names that only start like a reserved one are ordinary', async () => {
    const fs = openFs(backend)
    await fs.write('/usrs/x', 'x', { parents: true })
    await fs.write('/data/tmp/x', 'x', { parents: true })
    await fs.mkdir('/binary')
    expect((await fs.readdir('/')).map((entry) => entry.name)).toEqual(['binary', 'data', 'usrs'])
  })

  it('what already lies under a reserved name stays readable and removable', async () => {
    const root = freshRoot()
    const fs = openFs(backend, root)
    await putRaw(backend, `${root}/etc/old.conf`, 'legacy')
    expect(await fs.readText('/etc/old.conf')).toBe('legacy')
    await fs.rm('/etc', { recursive: true })
    expect(await fs.exists('/etc')).toBe(false)
  })
})

describe.each(BACKENDS)('fsx %s: directory modes', (backend) => {
  it('keeps the mode a directory was made with; the default is 0755', async () => {
    const fs = openFs(backend)
    await fs.mkdir('/private', { mode: 0o700 })
    await fs.mkdir('/plain')
    await fs.mkdir('/a/b/c', { recursive: true, mode: 0o750 })
    expect((await fs.stat('/private')).mode).toBe(0o700)
    expect((await fs.stat('/plain')).mode).toBe(0o755)
    // mkdir -p -m gives the mode to the last directory only, as GNU mkdir does.
    expect([(await fs.stat('/a')).mode, (await fs.stat('/a/b')).mode, (await fs.stat('/a/b/c')).mode]).toEqual([0o755, 0o755, 0o750])
    expect(await fs.readdir('/private')).toEqual([])
  })

  it('a moved or copied directory keeps its mode', async () => {
    const fs = openFs(backend)
    await fs.mkdir('/d', { mode: 0o711 })
    await fs.write('/d/x', 'x')
    await fs.copy('/d', '/copy', { recursive: true })
    await fs.rename('/d', '/moved')
    expect((await fs.stat('/copy')).mode).toBe(0o711)
    expect((await fs.stat('/moved')).mode).toBe(0o711)
    expect(await fs.readText('/moved/x')).toBe('x')
  })
})
