/**
 * Tier 4 under run-time `fs:` policy: the sync copies into the sandbox only
 * what the run may read, and copies back only what it may write. Real
 * sandboxd + bubblewrap (`npx vitest run -c vitest.tier4.config.ts`).
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Env } from '../../src/env'
import { createFileSystem, tenantRoot } from '../../src/execution/fsx/index'
import { resolveOptions } from '../../src/execution/index'
import { sandboxExecutor } from '../../src/execution/sandbox/executor'
import { fsAccessPolicy } from '../../src/governance/fs-policy'
import { guardFileSystem } from '../../src/governance/guarded-fs'
import { compilePolicySet } from '../../src/governance/policy-engine'

const bindings = env as unknown as Env

describe('tier 4 with fs: policy at run time', () => {
  it('a read-denied file never reaches the sandbox and a write-denied one never comes back', async () => {
    const tenantId = `e2e-policy-${crypto.randomUUID().slice(0, 8)}`
    const raw = createFileSystem('r2', { root: tenantRoot(tenantId), bindings })
    await raw.write('/secret/key', 'k', { parents: true })
    await raw.write('/pub/a', 'a', { parents: true })
    const set = compilePolicySet(
      [
        {
          id: 'fence',
          tenantId,
          scope: { level: 'tenant', id: tenantId },
          priority: 0,
          rules: [
            { actionPattern: 'fs:read:/secret/*', effect: 'deny' },
            { actionPattern: 'fs:write:/ro/*', effect: 'deny' },
          ],
        },
      ],
      { version: 1, defaultEffect: 'allow' },
    )
    const fs = guardFileSystem(raw, fsAccessPolicy(set, { tenantId, kind: 'exec', principal: 'tok_test', roles: [], attachedPolicyIds: [] }))

    const result = await sandboxExecutor.run({
      operation: 'sh',
      args: ['find . | sort; mkdir ro; echo x > ro/b'],
      options: resolveOptions({ tier: 4 }, tenantId),
      fs,
      bindings,
    })
    expect(result.stdout).toBe('.\n./pub\n./pub/a\n./secret\n')
    expect(result.value).toMatchObject({ sync: { written: [], skipped: [{ path: '/ro/b', code: 'EACCES' }] } })
    expect(await raw.exists('/ro/b')).toBe(false)
    expect(await raw.readText('/secret/key')).toBe('k')
  })
})
