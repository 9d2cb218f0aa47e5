/**
 * Fuzz: fsx path handling. Whatever path a caller sends, resolution yields a
 * normalised absolute path inside the root or refuses with EINVAL / EACCES
 * (ENOENT only for the empty path), and no storage key is ever written outside
 * the filesystem's root prefix, on any backend.
 */
import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createFileSystem, isFsError } from '../../src/execution/fsx/index'
import { MAX_PATH_BYTES, resolvePath, utf8Length } from '../../src/execution/fsx/paths'
import { hostilePath } from './arbitraries'

type Outcome = { ok: true; value: string } | { ok: false; code: string }

function attempt(run: () => string): Outcome {
  try {
    return { ok: true, value: run() }
  } catch (error) {
    if (!isFsError(error)) throw error
    return { ok: false, code: error.code }
  }
}

function expectNormalisedAbsolute(resolved: string): void {
  expect(resolved.startsWith('/')).toBe(true)
  expect(utf8Length(resolved)).toBeLessThanOrEqual(MAX_PATH_BYTES)
  if (resolved === '/') return
  for (const component of resolved.slice(1).split('/')) {
    expect(['', '.', '..']).not.toContain(component)
  }
}

describe('fuzz: fsx path resolution', () => {
  it('returns a normalised absolute path or refuses with EINVAL/EACCES (ENOENT for empty)', () => {
    fc.assert(
      fc.property(hostilePath, hostilePath, (cwd, path) => {
        const outcome = attempt(() => resolvePath(cwd === '' ? '/' : cwd, path))
        if (outcome.ok) expectNormalisedAbsolute(outcome.value)
        else expect(path === '' ? ['ENOENT'] : ['EINVAL', 'EACCES']).toContain(outcome.code)
      }),
      { numRuns: 2000 },
    )
  })

  it('is idempotent: resolving a resolved path gives it back unchanged', () => {
    fc.assert(
      fc.property(hostilePath, (path) => {
        const outcome = attempt(() => resolvePath('/', path))
        if (outcome.ok) expect(resolvePath('/', outcome.value)).toBe(outcome.value)
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses every path whose ".." climbs above the root with EACCES', () => {
    const climbing = fc
      .tuple(fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { maxLength: 4 }), fc.integer({ min: 1, max: 4 }))
      .map(([down, extra]) => `/${[...down, ...Array<string>(down.length + extra).fill('..')].join('/')}`)
    fc.assert(
      fc.property(climbing, (path) => {
        expect(attempt(() => resolvePath('/', path))).toEqual({ ok: false, code: 'EACCES' })
      }),
    )
  })
})

/** Operations a caller can aim at hostile paths; each returns nothing or throws FsError. */
const operation = fc.oneof(
  hostilePath.map((p) => ({ op: 'write' as const, paths: [p] })),
  hostilePath.map((p) => ({ op: 'mkdir' as const, paths: [p] })),
  hostilePath.map((p) => ({ op: 'append' as const, paths: [p] })),
  fc.tuple(hostilePath, hostilePath).map(([a, b]) => ({ op: 'copy' as const, paths: [a, b] })),
  fc.tuple(hostilePath, hostilePath).map(([a, b]) => ({ op: 'rename' as const, paths: [a, b] })),
)

async function listAllKeys(backend: 'r2' | 'kv'): Promise<string[]> {
  const keys: string[] = []
  if (backend === 'r2') {
    let cursor: string | undefined
    do {
      const page = await env.FILES.list({ cursor, limit: 1000 })
      keys.push(...page.objects.map((o) => o.key))
      cursor = page.truncated ? page.cursor : undefined
    } while (cursor)
  } else {
    let cursor: string | undefined
    do {
      const page = await env.KV.list({ cursor, limit: 1000 })
      keys.push(...page.keys.map((k) => k.name))
      cursor = page.list_complete ? undefined : page.cursor
    } while (cursor)
  }
  return keys
}

describe.each(['r2', 'kv'] as const)('fuzz: fsx confinement on %s', (backend) => {
  it('never stores a key outside the root, and every refusal is an FsError with a path code', async () => {
    const root = `tenants/fuzz${crypto.randomUUID().replaceAll('-', '')}`
    const fs = createFileSystem(backend, { root, bindings: { FILES: env.FILES, KV: env.KV } })
    const before = new Set(await listAllKeys(backend))
    const refusals = new Set<string>()
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 5 }), async (steps) => {
        for (const { op, paths } of steps) {
          try {
            const [a, b] = paths as [string, string]
            if (op === 'write') await fs.write(a, 'x', { parents: true })
            else if (op === 'append') await fs.append(a, 'y', { parents: true })
            else if (op === 'mkdir') await fs.mkdir(a, { recursive: true })
            else if (op === 'copy') await fs.copy(a, b, { recursive: true })
            else await fs.rename(a, b)
          } catch (error) {
            if (!isFsError(error)) throw error
            refusals.add(error.code)
          }
        }
      }),
      { numRuns: 60 },
    )
    const added = (await listAllKeys(backend)).filter((key) => !before.has(key))
    expect(added.filter((key) => !key.startsWith(`${root}/`))).toEqual([])
    // The run really wrote through fsx (the property is not vacuous).
    expect(added.length).toBeGreaterThan(0)
    for (const code of refusals) expect(['EINVAL', 'EACCES', 'ENOENT', 'EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY']).toContain(code)
  })
})
