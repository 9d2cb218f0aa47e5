import { describe, expect, it } from 'vitest'
import { actionsForStage, normalizePath, uniqueActions } from '../../src/governance/actions'

describe('normalizePath', () => {
  it.each([
    ['/a/b', '/', '/a/b'],
    ['b.txt', '/home/x', '/home/x/b.txt'],
    ['b.txt', '/home/x/', '/home/x/b.txt'],
    ['/tmp/../etc/passwd', '/', '/etc/passwd'],
    ['../../../../etc', '/a', '/etc'],
    ['./a/./b//c', '/w', '/w/a/b/c'],
    ['/', '/', '/'],
  ])('%s in %s → %s', (path, cwd, expected) => expect(normalizePath(path, cwd)).toBe(expected))
})

describe('actionsForStage', () => {
  it.each([
    ['cat', ['/a.txt', 'b.txt'], ['exec:cat', 'fs:read:/a.txt', 'fs:read:/w/b.txt']],
    ['head', ['-n', '5', '/log'], ['exec:head', 'fs:read:/log']],
    ['grep', ['-i', 'needle', '/a', '/b'], ['exec:grep', 'fs:read:/a', 'fs:read:/b']],
    ['grep', ['-e', 'needle', '/a'], ['exec:grep', 'fs:read:/a']],
    ['sed', ['-i', 's/a/b/', '/conf'], ['exec:sed', 'fs:read:/conf', 'fs:write:/conf']],
    ['rm', ['-rf', '/data/../etc'], ['exec:rm', 'fs:write:/etc']],
    ['cp', ['/src/a', '/src/b', '/dst/'], ['exec:cp', 'fs:read:/src/a', 'fs:read:/src/b', 'fs:write:/dst']],
    ['mv', ['/a', '/b'], ['exec:mv', 'fs:write:/a', 'fs:write:/b']],
    ['find', ['/data', '-name', 'x', '-delete'], ['exec:find', 'fs:read:/data', 'fs:read:/w/x', 'fs:write:/data', 'fs:write:/w/x']],
    ['echo', ['hello', '/not/a/file'], ['exec:echo']],
    ['curl', ['-s', 'https://api.example.com/v1'], ['exec:curl', 'net:https://api.example.com/v1']],
    ['python3', ['script.py'], ['exec:python3', 'fs:read:/w/script.py']],
    ['cat', ['--', '-weird-name'], ['exec:cat', 'fs:read:/w/-weird-name']],
    ['wc', ['-l', '-'], ['exec:wc']],
  ])('%s %j', (operation, args, expected) => {
    expect(actionsForStage({ operation, args }, '/w')).toEqual(expected)
  })

  it('adds redirections and ignores non-string arguments', () => {
    expect(
      actionsForStage({ operation: 'sort', args: [{ json: true }, 3], redirects: [{ direction: 'read', path: 'in.txt' }, { direction: 'write', path: '/out/../o.txt' }] }, '/w'),
    ).toEqual(['exec:sort', 'fs:read:/w/in.txt', 'fs:write:/o.txt'])
  })

  it('uniqueActions keeps first occurrences in order', () => {
    expect(uniqueActions(['exec:cat', 'fs:read:/a', 'exec:cat', 'exec:wc'])).toEqual(['exec:cat', 'fs:read:/a', 'exec:wc'])
  })
})
