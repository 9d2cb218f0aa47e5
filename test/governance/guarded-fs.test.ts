/**
 * The guarded FileSystem over a real memory fsx and the real compiled policy
 * engine: which calls count as reads or writes, recursive operations check
 * every path inside, globs hide names of unreadable directories, and
 * require_approval passes only for actions accepted beforehand.
 */
import { describe, expect, it } from 'vitest'
import type { FileSystem } from '../../types/execution'
import type { PolicyEffect } from '../../types/fabric'
import { fsAccessPolicy } from '../../src/governance/fs-policy'
import { guardFileSystem } from '../../src/governance/guarded-fs'
import { compilePolicySet, type PolicySubject } from '../../src/governance/policy-engine'
import { walkedTree } from '../execution/fsx/backends'
import { memoryFs } from '../execution/rpc/exec-call'
import { freshTenant } from './helpers'

function guarded(fs: FileSystem, tenantId: string, rules: Array<[string, PolicyEffect]>, accepted: string[] = []): FileSystem {
  const set = compilePolicySet(
    [{ id: 'p', tenantId, scope: { level: 'tenant', id: tenantId }, priority: 0, rules: rules.map(([actionPattern, effect]) => ({ actionPattern, effect })) }],
    { version: 1, defaultEffect: 'allow' },
  )
  const subject: PolicySubject = { tenantId, kind: 'task', principal: 'tok_test', roles: [], attachedPolicyIds: [] }
  return guardFileSystem(fs, fsAccessPolicy(set, subject, accepted))
}

async function refusal(work: Promise<unknown>): Promise<string> {
  const error = (await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )) as { code?: string; path?: string } | undefined
  return `${error?.code} ${error?.path}`
}

describe('guarded fs', () => {
  it('counts stat, exists and readdir as reads; write, append, mkdir and rm as writes; paths are normalised first', async () => {
    const tenantId = freshTenant()
    const raw = memoryFs(tenantId)
    await raw.write('/s/k', 'secret', { parents: true })
    const fs = guarded(raw, tenantId, [['fs:read:/s/*', 'deny'], ['fs:write:/w/*', 'deny']])
    expect(await refusal(fs.readText('/x/../s/./k'))).toBe('EACCES /s/k')
    expect(await refusal(fs.stat('/s/k'))).toBe('EACCES /s/k')
    expect(await refusal(fs.exists('/s/k'))).toBe('EACCES /s/k')
    expect(await refusal(fs.readStream('/s/k'))).toBe('EACCES /s/k')
    expect((await fs.readdir('/s')).map((entry) => entry.name)).toEqual(['k'])
    expect(await refusal(fs.write('/w/a', 'x', { parents: true }))).toBe('EACCES /w/a')
    expect(await refusal(fs.append('/w/a', 'x'))).toBe('EACCES /w/a')
    expect(await refusal(fs.mkdir('/w/d', { recursive: true }))).toBe('EACCES /w/d')
    expect(await raw.exists('/w')).toBe(false)
  })

  it('recursive rm, rename and copy of a directory check every path inside it', async () => {
    const tenantId = freshTenant()
    const raw = memoryFs(tenantId)
    await raw.write('/tree/keep/locked', 'l', { parents: true })
    await raw.write('/tree/open', 'o', { parents: true })
    const fs = guarded(raw, tenantId, [['fs:write:/tree/keep/*', 'deny'], ['fs:read:/tree/keep/*', 'deny']])
    expect(await refusal(fs.rm('/tree', { recursive: true }))).toBe('EACCES /tree/keep/locked')
    expect(await refusal(fs.rename('/tree', '/moved'))).toBe('EACCES /tree/keep/locked')
    expect(await refusal(fs.copy('/tree', '/copy', { recursive: true }))).toBe('EACCES /tree/keep/locked')
    expect(await raw.readText('/tree/keep/locked')).toBe('l')
    expect(await raw.exists('/moved')).toBe(false)
    expect(await raw.exists('/copy')).toBe(false)
    await fs.copy('/tree/open', '/copy-of-open')
    expect(await raw.readText('/copy-of-open')).toBe('o')
  })

  it('a copy is refused for a target under a write deny', async () => {
    const tenantId = freshTenant()
    const raw = memoryFs(tenantId)
    await raw.write('/a', 'a')
    const fs = guarded(raw, tenantId, [['fs:write:/ro/*', 'deny']])
    expect(await refusal(fs.copy('/a', '/ro/a'))).toBe('EACCES /ro/a')
  })

  it('tree keeps what a walk of the guarded readdir and stat finds, and refuses an unreadable root', async () => {
    const tenantId = freshTenant()
    const raw = memoryFs(tenantId)
    for (const path of ['/pub/a', '/pub/hidden.txt', '/locked/inside/b', '/locked/c', '/top.txt']) await raw.write(path, path, { parents: true })
    const fs = guarded(raw, tenantId, [['fs:read:/pub/hidden.txt', 'deny'], ['fs:read:/locked', 'deny'], ['fs:read:/locked/*', 'deny']])
    const walked = await walkedTree(fs)
    const mtime = async (path: string) => (await raw.stat(path)).mtime
    // /pub/hidden.txt and what is inside /locked are left out; /locked shows as its parent lists it, no more.
    expect(walked.map((entry) => `${entry.path} ${entry.mode?.toString(8)} ${entry.mtime}`)).toEqual([
      'locked undefined 0',
      `pub 755 ${await mtime('/pub')}`,
      `pub/a 644 ${await mtime('/pub/a')}`,
      `top.txt 644 ${await mtime('/top.txt')}`,
    ])
    expect(await fs.tree('/', 100)).toEqual({ entries: walked, truncated: false })
    expect(await refusal(fs.tree('/locked', 100))).toBe('EACCES /locked')
  })

  it('glob leaves out names whose directory may not be read', async () => {
    const tenantId = freshTenant()
    const raw = memoryFs(tenantId)
    await raw.write('/hidden/f.txt', 'h', { parents: true })
    await raw.write('/shown/f.txt', 's', { parents: true })
    const fs = guarded(raw, tenantId, [['fs:read:/hidden', 'deny']])
    expect(await fs.glob('/*/f.txt')).toEqual(['/shown/f.txt'])
  })

  it('require_approval refuses at run time unless the execution was accepted for exactly that action', async () => {
    const tenantId = freshTenant()
    const raw = memoryFs(tenantId)
    await raw.write('/gated/a', 'a', { parents: true })
    await raw.write('/gated/b', 'b')
    const fs = guarded(raw, tenantId, [['fs:read:/gated/*', 'require_approval']], ['fs:read:/gated/a'])
    expect(await fs.readText('/gated/a')).toBe('a')
    const error = await fs.readText('/gated/b').catch((thrown: unknown) => thrown as Error)
    expect((error as Error).message).toBe(
      `EACCES: Permission denied: '/gated/b' (policy needs an approval for fs:read:/gated/b at run time: rule 0 of policy p (tenant, priority 0) matched "fs:read:/gated/*")`,
    )
  })
})
