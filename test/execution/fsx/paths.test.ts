import { describe, expect, it } from 'vitest'
import { compareCodePoints, resolvePath } from '../../../src/execution/fsx/paths'
import { tenantRoot } from '../../../src/execution/fsx/index'
import { expectFsError } from './backends'

const resolveAsync = async (cwd: string, path: string): Promise<string> => resolvePath(cwd, path)

describe('resolvePath', () => {
  it.each([
    ['/', '/a/b', '/a/b'],
    ['/', 'a/b', '/a/b'],
    ['/work', 'a.txt', '/work/a.txt'],
    ['/work', './a/./b/', '/work/a/b'],
    ['/work', '//a///b//', '/a/b'],
    ['/work', 'a//b///', '/work/a/b'],
    ['/work/sub', '../x', '/work/x'],
    ['/work', '/abs/../other', '/other'],
    ['/', '.', '/'],
    ['/', '/', '/'],
    ['/a', '..', '/'],
    ['work/rel', 'f', '/work/rel/f'],
    ['/', 'back\\slash\\name', '/back\\slash\\name'],
    ['/', 'dir\\..\\x', '/dir\\..\\x'],
    ['/', '...', '/...'],
    ['/', 'sp ace/ünï/😀', '/sp ace/ünï/😀'],
  ])('cwd %s + %s → %s', (cwd, path, expected) => {
    expect(resolvePath(cwd, path)).toBe(expected)
  })

  it.each(['..', '/..', '../etc/passwd', 'a/../../b', '/a/b/../../..', '././../x'])(
    'refuses %s with EACCES: it climbs above the root',
    async (path) => {
      await expectFsError(resolveAsync('/', path), 'EACCES', path)
    },
  )

  it('refuses a relative path that climbs above the root from a deep cwd', async () => {
    await expectFsError(resolveAsync('/a/b', '../../../x'), 'EACCES', '../../../x')
    expect(resolvePath('/a/b', '../../x')).toBe('/x')
  })

  it.each([
    ['NUL', 'a\u0000b'],
    ['newline', 'evil\nname'],
    ['carriage return', 'x\r'],
    ['tab', 'a\tb'],
    ['escape', '\u001b[31mred'],
    ['unit separator', 'x\u001fy'],
    ['DEL', 'x\u007f'],
    ['lone surrogate', 'bad\uD800name'],
  ])('refuses a %s with EINVAL', async (_label, path) => {
    await expectFsError(resolveAsync('/', path), 'EINVAL', path)
  })

  it('refuses control characters in the cwd too, naming the cwd', async () => {
    await expectFsError(resolveAsync('/bad\u0001', 'x'), 'EINVAL', '/bad\u0001')
  })

  it('counts component and path limits in UTF-8 bytes and says the name is too long', async () => {
    expect(resolvePath('/', 'a'.repeat(255))).toBe(`/${'a'.repeat(255)}`)
    await expectFsError(resolveAsync('/', 'a'.repeat(256)), 'EINVAL', 'a'.repeat(256))
    // 128 two-byte characters: 128 UTF-16 units but 256 bytes.
    const wide = 'é'.repeat(128)
    await expectFsError(resolveAsync('/', `/x/${wide}`), 'EINVAL', `/x/${wide}`)
    const error = await resolveAsync('/', 'a'.repeat(256)).catch((caught: Error) => caught)
    expect((error as Error).message).toContain('File name too long')
    const longest = `/${Array.from({ length: 16 }, () => 'b'.repeat(254)).join('/')}`
    expect(longest.length).toBe(4080)
    expect(resolvePath('/', longest)).toBe(longest)
    const tooLong = `${longest}/${'c'.repeat(16)}`
    await expectFsError(resolveAsync('/', tooLong), 'EINVAL', tooLong)
  })

  it('refuses a relative path that only becomes too long after joining the cwd', async () => {
    const cwd = `/${Array.from({ length: 16 }, () => 'd'.repeat(250)).join('/')}`
    const path = 'e'.repeat(200)
    await expectFsError(resolveAsync(cwd, path), 'EINVAL', path)
  })

  it('refuses the empty path with ENOENT, as open("") does', async () => {
    await expectFsError(resolveAsync('/', ''), 'ENOENT', '')
  })
})

describe('tenantRoot', () => {
  it('builds tenant and agent roots', () => {
    expect(tenantRoot('dev')).toBe('tenants/dev')
    expect(tenantRoot('ten_0a1B', 'agt-7')).toBe('tenants/ten_0a1B/agents/agt-7')
  })

  it.each([
    ['', undefined],
    ['../x', undefined],
    ['a/b', undefined],
    ['.hidden', undefined],
    ['dev', '..'],
    ['dev', 'a b'],
    ['x'.repeat(65), undefined],
  ])('refuses tenant %j agent %j with EINVAL', async (tenant, agent) => {
    await expect(Promise.resolve().then(() => tenantRoot(tenant, agent))).rejects.toMatchObject({ code: 'EINVAL' })
  })
})

describe('compareCodePoints', () => {
  it('orders by code point (UTF-8 byte order), unlike UTF-16 comparison', () => {
    const names = ['😀', '\uFFFD', 'b', 'B', 'ab', 'a', '']
    expect([...names].sort(compareCodePoints)).toEqual(['', 'B', 'a', 'ab', 'b', '\uFFFD', '😀'])
    expect([...names].sort()).not.toEqual([...names].sort(compareCodePoints))
  })
})
