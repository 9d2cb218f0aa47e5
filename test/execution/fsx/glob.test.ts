import { describe, expect, it } from 'vitest'
import { compileGlob, expandBraces, MAX_GLOB_ALTERNATIVES } from '../../../src/execution/fsx/glob'
import { expectFsError } from './backends'

function matches(pattern: string, path: string, cwd = '/'): boolean {
  return compileGlob(pattern, cwd).matcher.test(path)
}

describe('glob patterns', () => {
  it.each([
    ['*.txt', '/a.txt', true],
    ['*.txt', '/dir/a.txt', false],
    ['*.txt', '/.hidden.txt', false],
    ['.*.txt', '/.hidden.txt', true],
    ['/a/*/c', '/a/b/c', true],
    ['/a/*/c', '/a/b/x/c', false],
    ['a?c', '/abc', true],
    ['a?c', '/a/c', false],
    ['a?c', '/a😀c', true],
    ['[abc].md', '/b.md', true],
    ['[abc].md', '/d.md', false],
    ['[a-c]x', '/cx', true],
    ['[!a-c]x', '/dx', true],
    ['[^a-c]x', '/ax', false],
    ['[]]', '/]', true],
    ['[*]', '/*', true],
    ['[*]', '/x', false],
    ['[unclosed', '/[unclosed', true],
    ['{a,b}.js', '/b.js', true],
    ['{a,b}.js', '/c.js', false],
    ['x{1,{2,3}}', '/x3', true],
    ['{solo}', '/{solo}', true],
    ['\\*lit', '/*lit', true],
    ['\\*lit', '/xlit', false],
    ['**/*.ts', '/index.ts', true],
    ['**/*.ts', '/src/deep/er/x.ts', true],
    ['**/*.ts', '/src/.git/x.ts', false],
    ['/src/**', '/src', false],
    ['/src/**', '/src/a/b', true],
    ['/a/**/b/**/c', '/a/b/c', true],
    ['/a/**/b/**/c', '/a/x/b/y/z/c', true],
    ['/a/**/b/**/c', '/a/x/y/c', false],
    ['a**b', '/axxb', true],
    ['a**b', '/ax/xb', false],
    ['*a*b*', '/xxaxxbxx', true],
    ['*a*b*', '/xxbxxaxx', false],
    ['back\\\\slash', '/back\\slash', true],
  ])('%s against %s → %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected)
  })

  it('takes relative patterns from the cwd and applies . and ..', () => {
    expect(matches('*.txt', '/work/a.txt', '/work')).toBe(true)
    expect(matches('*.txt', '/a.txt', '/work')).toBe(false)
    expect(matches('../other/*', '/other/x', '/work')).toBe(true)
    expect(matches('./x/./*', '/work/x/y', '/work')).toBe(true)
  })

  it('reports the literal base directories to list, or the literal paths when nothing is wild', () => {
    expect(compileGlob('/src/lib/**/*.ts', '/').baseDirectories).toEqual(['/src/lib'])
    expect(compileGlob('{a,b}/*.md', '/docs').baseDirectories).toEqual(['/docs/a', '/docs/b'])
    expect(compileGlob('/x/{a,b}.txt', '/').literalPaths).toEqual(['/x/a.txt', '/x/b.txt'])
    expect(compileGlob('/x/{a.txt,*.md}', '/')).toMatchObject({ baseDirectories: ['/x', '/x'] })
  })

  it('expands braces in order, nested and escaped', () => {
    expect(expandBraces('{a,b}{1,2}')).toEqual(['a1', 'a2', 'b1', 'b2'])
    expect(expandBraces('p{x,{y,z}w}s')).toEqual(['pxs', 'pyws', 'pzws'])
    expect(expandBraces('\\{a,b}')).toEqual(['\\{a,b}'])
    expect(expandBraces('{,x}y')).toEqual(['y', 'xy'])
  })

  it('refuses brace expansions over the limit, reversed ranges, control characters and escapes above the root', async () => {
    const explosive = '{a,b}'.repeat(9)
    expect(2 ** 9).toBeGreaterThan(MAX_GLOB_ALTERNATIVES)
    await expectFsError(Promise.resolve().then(() => compileGlob(explosive, '/')), 'EINVAL', explosive)
    await expectFsError(Promise.resolve().then(() => compileGlob('[z-a]', '/')), 'EINVAL', '[z-a]')
    await expectFsError(Promise.resolve().then(() => compileGlob('a\nb*', '/')), 'EINVAL', 'a\nb*')
    await expectFsError(Promise.resolve().then(() => compileGlob('/../*', '/')), 'EACCES', '/../*')
    await expectFsError(Promise.resolve().then(() => compileGlob('', '/')), 'EINVAL', '')
  })

  it('does not backtrack catastrophically on many stars or globstars', () => {
    // A naive translation needs about 250^10 steps for each of these.
    const stars = compileGlob(`/${'*a'.repeat(10)}*b`, '/').matcher
    expect(stars.test(`/${'a'.repeat(250)}`)).toBe(false)
    expect(stars.test(`/${'a'.repeat(250)}b`)).toBe(true)
    const globstars = compileGlob(`/${'**/x/'.repeat(8)}y`, '/').matcher
    const deep = `/${Array.from({ length: 500 }, () => 'x').join('/')}`
    expect(globstars.test(deep)).toBe(false)
    expect(globstars.test(`${deep}/y`)).toBe(true)
  })
})
