/**
 * The tier-1 executor's contract beyond GNU's bytes: argument validation,
 * error codes (unknown operation, unsupported feature → retriable for the
 * router, timeout, cancellation, output cap), binary stdout, identity fields,
 * and the utilities whose output depends on fsx metadata (ls -l, stat,
 * touch).
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { NATIVE_OPERATIONS, nativeExecutor } from '../../../src/execution/native/index'
import { bytesToBase64 } from '../../../src/execution/native/base64-codec'
import { strftime } from '../../../src/execution/native/strftime'
import { freshFs, nativeCall, runNative } from './harness'

describe('the executor contract', () => {
  it('knows its utilities by name and is always available', async () => {
    expect(await nativeExecutor.handles('grep', env)).toBe(true)
    expect(await nativeExecutor.handles('python3', env)).toBe(false)
    expect(await nativeExecutor.isAvailable(env)).toBe(true)
    expect([...NATIVE_OPERATIONS].sort()).toEqual([
      '[', 'awk', 'base64', 'basename', 'cat', 'cmp', 'column', 'comm', 'cp', 'cut', 'date', 'diff', 'dirname', 'du', 'echo', 'env', 'expr',
      'false', 'find', 'fold', 'grep', 'gunzip', 'gzip', 'head', 'hexdump', 'hostname', 'id', 'join', 'ls', 'md5sum', 'mkdir',
      'mktemp', 'mv', 'nl', 'od', 'paste', 'printenv', 'printf', 'pwd', 'readlink', 'realpath', 'rev', 'rm', 'rmdir', 'sed', 'seq',
      'sha1sum', 'sha256sum', 'sha512sum', 'sleep', 'sort', 'split', 'stat', 'tac', 'tail', 'tar', 'tee', 'test', 'timeout', 'touch', 'tr', 'true', 'truncate',
      'uname', 'uniq', 'wc', 'which', 'whoami', 'xargs', 'yes', 'zcat',
    ])
  })

  it('fills the result identity and measures the duration', async () => {
    const result = await runNative(freshFs(), ['echo', 'hi'])
    expect(result).toMatchObject({ ok: true, tier: 1, operation: 'echo', exitCode: 0, stdout: 'hi\n', stderr: '', executionId: 'exe_test', traceId: '0af7651916cd43dd8448eb211c80319c' })
    expect(result.error).toBeUndefined()
    expect(result.duration).toBeGreaterThanOrEqual(0)
  })

  it('refuses non-string arguments with INVALID_ARGUMENT naming the index', async () => {
    const result = await nativeExecutor.run(nativeCall(freshFs(), 'echo', ['a', 5, { x: 1 }]))
    expect(result).toMatchObject({ ok: false, exitCode: 2, error: { code: 'INVALID_ARGUMENT', retriable: false } })
    expect(result.error?.message).toBe('args[1]: every argument must be a string (argv has no other type)')
  })

  it('answers UNKNOWN_OPERATION (status 127) for a name it does not know', async () => {
    const result = await runNative(freshFs(), ['python3', '-c', '1'])
    expect(result).toMatchObject({ ok: false, exitCode: 127, error: { code: 'UNKNOWN_OPERATION', retriable: false } })
  })

  it('answers a retriable NOT_SUPPORTED for an option it does not implement, so the router moves to tier 4', async () => {
    const result = await runNative(freshFs(), ['grep', '-P', 'a+', '/x'])
    expect(result).toMatchObject({ ok: false, exitCode: 2, error: { code: 'NOT_SUPPORTED', retriable: true } })
    expect(result.error?.message).toBe("grep: option '-P' is not supported on tier 1; run it on tier 4 (the Linux sandbox)")
  })

  it('marks a non-zero status COMMAND_FAILED with the first stderr line', async () => {
    const result = await runNative(freshFs(), ['cat', '/nope', '/also-nope'])
    expect(result.error).toEqual({ code: 'COMMAND_FAILED', message: 'cat exited with status 1: cat: /nope: No such file or directory', retriable: false })
    const quiet = await runNative(freshFs(), ['grep', 'x'], { stdin: 'y\n' })
    expect(quiet.error?.message).toBe('grep exited with status 1 (see stdout and the exit code)')
  })

  it('stops a sleep at the time limit with TIMEOUT and status 124', async () => {
    const result = await runNative(freshFs(), ['sleep', '30'], { timeoutMs: 20 })
    expect(result).toMatchObject({ ok: false, exitCode: 124, error: { code: 'TIMEOUT', retriable: true } })
    expect(result.error?.message).toBe('sleep did not finish within 20 ms; raise timeoutMs or make the input smaller')
  })

  it('stops when the caller aborts, with CANCELLED', async () => {
    const controller = new AbortController()
    const pending = runNative(freshFs(), ['sleep', '30'], { signal: controller.signal })
    controller.abort()
    expect(await pending).toMatchObject({ ok: false, exitCode: 130, error: { code: 'CANCELLED' } })
  })

  it('caps stdout and reports OUTPUT_TRUNCATED with the start of the output', async () => {
    const fs = freshFs()
    await fs.write('/big', new Uint8Array(17 * 1024 * 1024).fill(0x61))
    const result = await runNative(fs, ['cat', '/big'])
    expect(result).toMatchObject({ ok: false, truncated: true, error: { code: 'OUTPUT_TRUNCATED' } })
    expect(result.stdout.length).toBe(16 * 1024 * 1024)
    expect(result.stdout.slice(0, 3)).toBe('aaa')
  })

  it('returns binary stdout exactly in stdoutBase64', async () => {
    const fs = freshFs()
    const raw = new Uint8Array([0, 0xff, 0xfe, 0x41, 0x0a])
    await fs.write('/raw.bin', raw)
    const result = await runNative(fs, ['cat', '/raw.bin'])
    expect(result.stdoutBase64).toBe(bytesToBase64(raw))
    expect(result.stdout).toBe('\u0000\ufffd\ufffdA\n')
  })

  it('takes stdin as bytes or text', async () => {
    expect((await runNative(freshFs(), ['wc', '-c'], { stdin: new Uint8Array([1, 2, 3]) })).stdout).toBe('3\n')
    expect((await runNative(freshFs(), ['wc', '-c'], { stdin: 'é' })).stdout).toBe('2\n')
  })

  it('resolves relative operands against the cwd and refuses to leave the root', async () => {
    const fs = freshFs()
    await fs.write('/w/a.txt', 'x\n', { parents: true })
    expect((await runNative(fs, ['cat', 'a.txt'], { cwd: '/w' })).stdout).toBe('x\n')
    expect((await runNative(fs, ['cat', '../../etc/passwd'], { cwd: '/w' })).stderr).toBe('cat: ../../etc/passwd: Permission denied\n')
    const badCwd = await runNative(fs, ['pwd'], { cwd: '/../x' })
    expect(badCwd.error?.code).toBe('INVALID_ARGUMENT')
  })
})

describe('unsafe paths', () => {
  const ESCAPE = '../../outside'
  const argvs: string[][] = [
    ['cat', ESCAPE], ['head', ESCAPE], ['tail', ESCAPE], ['wc', ESCAPE], ['grep', 'x', ESCAPE], ['grep', '-r', 'x', ESCAPE],
    ['sort', ESCAPE], ['uniq', ESCAPE], ['cut', '-f1', ESCAPE], ['sed', 'p', ESCAPE], ['ls', ESCAPE], ['find', ESCAPE],
    ['find', '.', '-newer', ESCAPE], ['stat', ESCAPE], ['mkdir', ESCAPE], ['rm', ESCAPE], ['cp', 'a', ESCAPE], ['mv', 'a', ESCAPE],
    ['touch', ESCAPE], ['tee', ESCAPE], ['tac', ESCAPE], ['base64', ESCAPE], ['sha256sum', ESCAPE], ['date', '-r', ESCAPE],
  ]
  for (const argv of argvs) {
    it(`${argv.join(' ')} reports "Permission denied" as a failed command, never an internal error`, async () => {
      const fs = freshFs()
      await fs.write('/w/a', 'x\n', { parents: true })
      const result = await runNative(fs, argv, { cwd: '/w', stdin: 'in\n' })
      expect(result.error?.code).toBe('COMMAND_FAILED')
      expect(result.stderr).toContain('Permission denied')
      expect(result.stderr.startsWith(`${argv[0]}: `)).toBe(true)
    })
  }
})

describe('utilities that show fsx metadata', () => {
  it('ls -l prints mode, links, owner, size, time and name in aligned columns', async () => {
    const fs = freshFs()
    await fs.write('/d/larger.txt', 'x'.repeat(12345), { parents: true })
    await fs.write('/d/small', 'hi')
    await fs.mkdir('/d/sub')
    const stats = await Promise.all(['/d/larger.txt', '/d/small', '/d/sub'].map((path) => fs.stat(path)))
    const time = (ms: number) => strftime('%b %e %H:%M', { ms })
    const result = await runNative(fs, ['ls', '-l', '/d'])
    expect(result.stdout).toBe(
      [
        'total 24',
        `-rw-r--r-- 1 fabric fabric 12345 ${time(stats[0]!.mtime)} larger.txt`,
        `-rw-r--r-- 1 fabric fabric     2 ${time(stats[1]!.mtime)} small`,
        `drwxr-xr-x 2 fabric fabric  4096 ${time(stats[2]!.mtime)} sub`,
        '',
      ].join('\n'),
    )
    const human = await runNative(fs, ['ls', '-lhS', '/d'])
    expect(human.stdout.split('\n')[1]).toContain(' 13K ')
  })

  it('stat prints the default report and %Y from the fsx mtime', async () => {
    const fs = freshFs()
    await fs.write('/f.txt', 'hello')
    const { mtime } = await fs.stat('/f.txt')
    const result = await runNative(fs, ['stat', '/f.txt'])
    expect(result.stdout).toBe(
      [
        '  File: /f.txt',
        '  Size: 5         \tBlocks: 8          IO Block: 4096   regular file',
        'Access: (0644/-rw-r--r--)  Uid: ( 1000/  fabric)   Gid: ( 1000/  fabric)',
        `Modify: ${strftime('%Y-%m-%d %H:%M:%S.%N +0000', { ms: mtime })}`,
        '',
      ].join('\n'),
    )
    expect((await runNative(fs, ['stat', '-c', '%Y %a %A', '/f.txt'])).stdout).toBe(`${Math.floor(mtime / 1000)} 644 -rw-r--r--\n`)
  })

  it('touch creates files, leaves content alone and moves the mtime forward', async () => {
    const fs = freshFs()
    await fs.write('/keep.txt', 'content')
    const before = (await fs.stat('/keep.txt')).mtime
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect((await runNative(fs, ['touch', '/keep.txt', '/new.txt'])).exitCode).toBe(0)
    expect(await fs.readText('/keep.txt')).toBe('content')
    expect((await fs.stat('/keep.txt')).mtime).toBeGreaterThan(before)
    expect((await fs.stat('/new.txt')).size).toBe(0)
  })

  it('find -newer compares fsx mtimes', async () => {
    const fs = freshFs()
    await fs.write('/old', '1')
    await new Promise((resolve) => setTimeout(resolve, 5))
    await fs.write('/new', '2')
    expect((await runNative(fs, ['find', '/', '-type', 'f', '-newer', '/old'])).stdout).toBe('/new\n')
  })

  it('pwd and env print the call context', async () => {
    expect((await runNative(freshFs(), ['pwd'], { cwd: '/a/b' })).stdout).toBe('/a/b\n')
    const printed = await runNative(freshFs(), ['env', '-u', 'B', 'C=3'], { env: { A: '1', B: '2' } })
    expect(printed.stdout).toBe('A=1\nC=3\n')
    expect((await runNative(freshFs(), ['env', 'A=1', 'ls'])).error?.code).toBe('NOT_SUPPORTED')
  })

  it('date uses the clock when no -d is given, and leaves other time zones to tier 4', async () => {
    const before = Math.floor(Date.now() / 1000)
    const result = await runNative(freshFs(), ['date', '-u', '+%s'])
    const after = Math.ceil(Date.now() / 1000)
    expect(Number(result.stdout)).toBeGreaterThanOrEqual(before)
    expect(Number(result.stdout)).toBeLessThanOrEqual(after)
    expect((await runNative(freshFs(), ['date'], { env: { TZ: 'Europe/Paris' } })).error?.code).toBe('NOT_SUPPORTED')
  })
})
