import { describe, expect, it } from 'vitest'
import { splitCommandLine } from '../../src/governance/command-stages'
import { actionsForExec } from '../../src/governance/exec-actions'

describe('splitCommandLine', () => {
  it('splits pipelines and lists into stages with redirections', () => {
    expect(splitCommandLine('cat /a.txt | grep "x y" > /out.txt && wc -l < /in; echo done 2>&1')).toEqual([
      { operation: 'cat', args: ['/a.txt'], redirects: [] },
      { operation: 'grep', args: ['x y'], redirects: [{ direction: 'write', path: '/out.txt' }] },
      { operation: 'wc', args: ['-l'], redirects: [{ direction: 'read', path: '/in' }] },
      { operation: 'echo', args: ['done'], redirects: [] },
    ])
  })

  it('honours single quotes, double quotes and escapes', () => {
    expect(splitCommandLine(`echo 'a | b' "c; d" e\\ f`)).toEqual([{ operation: 'echo', args: ['a | b', 'c; d', 'e f'], redirects: [] }])
  })

  it('appends with >> and keeps the target', () => {
    expect(splitCommandLine('echo x >> /log')).toEqual([{ operation: 'echo', args: ['x'], redirects: [{ direction: 'write', path: '/log' }] }])
  })

  it('substitutes variables the request defines and keeps the others as written', () => {
    expect(splitCommandLine('cat $DIR/a.txt $OTHER', { DIR: '/data' })).toEqual([{ operation: 'cat', args: ['/data/a.txt', '$OTHER'], redirects: [] }])
  })

  it('refuses a line the shell cannot parse with PARSE_ERROR', () => {
    expect(() => splitCommandLine('cat /a |')).toThrow(expect.objectContaining({ code: 'PARSE_ERROR', status: 400 }))
  })

  it('keeps a bare redirection as a stage without an operation', () => {
    expect(splitCommandLine('> /truncate.txt')).toEqual([{ operation: '', args: [], redirects: [{ direction: 'write', path: '/truncate.txt' }] }])
  })
})

describe('actionsForExec', () => {
  it('lists every stage operation, file, URL and the pinned tier once each', () => {
    expect(actionsForExec({ command: 'cat a.txt | grep x > /out.txt; cat a.txt', cwd: '/w', tier: 1 })).toEqual([
      'exec:cat',
      'fs:read:/w/a.txt',
      'exec:grep',
      'fs:write:/out.txt',
      'tier:1',
    ])
  })

  it('handles operation requests', () => {
    expect(actionsForExec({ operation: 'rm', args: ['-r', '/tmp/x'] })).toEqual(['exec:rm', 'fs:write:/tmp/x'])
  })
})
