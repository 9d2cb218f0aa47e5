import { describe, expect, it } from 'vitest'
import { createFileSystem, tenantRoot } from '../../../src/execution/fsx/index'
import { BACKENDS, expectFsError, freshRoot, openFs } from './backends'

describe.each(BACKENDS)('fsx %s: confinement to a root', (backend) => {
  it('keeps tenants apart, even when one tenant id is a prefix of another', async () => {
    const id = `t${crypto.randomUUID().replaceAll('-', '')}`
    const alpha = openFs(backend, tenantRoot(id))
    const alphaTwo = openFs(backend, tenantRoot(`${id}2`))
    await alpha.write('/secret.txt', 'alpha')
    expect(await alphaTwo.exists('/secret.txt')).toBe(false)
    expect(await alphaTwo.readdir('/')).toEqual([])
    expect(await alphaTwo.glob('/**')).toEqual([])
    await expectFsError(alphaTwo.read(`../${id}/secret.txt`), 'EACCES', `../${id}/secret.txt`)
    await expectFsError(alpha.write('/../../escape', 'x'), 'EACCES', '/../../escape')
  })

  it('shows an agent root inside its tenant root, and not the other way round', async () => {
    const id = `t${crypto.randomUUID().replaceAll('-', '')}`
    const tenant = openFs(backend, tenantRoot(id))
    const agent = openFs(backend, tenantRoot(id, 'a1'))
    await agent.write('/work.txt', 'agent output')
    await tenant.write('/tenant-only.txt', 'tenant')
    expect(await tenant.readText('/agents/a1/work.txt')).toBe('agent output')
    expect(await agent.readdir('/')).toEqual([{ name: 'work.txt', type: 'file' }])
  })

  it('shares files between filesystems opened on the same root', async () => {
    const root = freshRoot()
    await openFs(backend, root).write('/shared', 'seen by both')
    expect(await openFs(backend, root).readText('/shared')).toBe('seen by both')
  })
})

describe('createFileSystem', () => {
  it.each(['', '/tenants/dev', 'tenants/dev/', 'tenants/../x', 'tenants//dev', 'tenants/d v'])(
    'refuses the root %j with EINVAL',
    async (root) => {
      await expect(Promise.resolve().then(() => createFileSystem('memory', { root }))).rejects.toMatchObject({ code: 'EINVAL' })
    },
  )

  it('refuses a backend without its binding, an unknown backend and a bad maxFileBytes', async () => {
    const attempt = (make: () => unknown) => Promise.resolve().then(make)
    await expect(attempt(() => createFileSystem('r2', { root: 'tenants/dev' }))).rejects.toMatchObject({
      code: 'EINVAL',
      message: expect.stringContaining('bindings.FILES'),
    })
    await expect(attempt(() => createFileSystem('kv', { root: 'tenants/dev' }))).rejects.toMatchObject({
      code: 'EINVAL',
      message: expect.stringContaining('bindings.KV'),
    })
    await expect(attempt(() => createFileSystem('disk' as 'memory', { root: 'tenants/dev' }))).rejects.toMatchObject({ code: 'EINVAL' })
    await expect(attempt(() => createFileSystem('memory', { root: 'tenants/dev', maxFileBytes: -1 }))).rejects.toMatchObject({ code: 'EINVAL' })
  })
})
