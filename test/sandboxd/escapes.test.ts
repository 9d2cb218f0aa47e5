/**
 * Escape attempts against a real sandboxd under real bubblewrap: each one is
 * contained, reported (exit code, signal, limit, stderr), and sandboxd answers
 * the next request.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ExecResponse } from '../../sandboxd/protocol'
import { startTestSandboxd, TEST_SECRET, type TestSandboxd } from './helpers'

let sandboxd: TestSandboxd
const exec = (body: Record<string, unknown>) => sandboxd.post<ExecResponse>('/v1/sandboxes/t1/escape/exec', body)

beforeAll(async () => {
  sandboxd = await startTestSandboxd()
})
afterAll(async () => {
  await sandboxd.close()
})
afterEach(async () => {
  // Whatever the previous test did, sandboxd still serves the next request.
  const next = await exec({ argv: ['echo', 'still here'] })
  expect(next).toMatchObject({ exitCode: 0, stdout: 'still here\n', timedOut: false })
})

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

describe('a command in the sandbox', () => {
  it('runs on Linux as an unprivileged uid with its own hostname', async () => {
    const result = await exec({ command: 'uname -s; id -u; id -g; hostname' })
    expect(result).toMatchObject({ exitCode: 0, stdout: 'Linux\n65534\n65534\nsandbox\n', stderr: '', level: 'container', signal: null })
  })

  it('cannot read /etc/shadow', async () => {
    const result = await exec({ command: 'cat /etc/shadow' })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toBe('cat: /etc/shadow: Permission denied\n')
    expect(result.stdout).toBe('')
  })

  it("sees none of the host's environment, sandboxd's secret included", async () => {
    process.env.SANDBOXD_TEST_HOST_MARKER = 'host-marker-value'
    const result = await exec({ command: 'env | sort; tr "\\0" "\\n" < /proc/1/environ', env: { GREETING: 'hi' } })
    delete process.env.SANDBOXD_TEST_HOST_MARKER
    expect(result.stdout).toBe('GREETING=hi\nHOME=/work\nLANG=C.UTF-8\nPATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin\nPWD=/work\nTMPDIR=/tmp\n')
    expect(result.stdout).not.toContain(TEST_SECRET)
  })

  it("has no host home, no /root, and none of sandboxd's state", async () => {
    const result = await exec({ command: 'ls /; ls /root /home 2>&1; ls /work' })
    expect(result.stdout).toBe(
      'bin\ndev\netc\nlib\nlib64\nproc\nsbin\ntmp\nusr\nwork\n' +
        "ls: cannot access '/root': No such file or directory\nls: cannot access '/home': No such file or directory\n",
    )
  })

  it('cannot write to /usr or /etc', async () => {
    const result = await exec({ command: 'touch /usr/x; touch /etc/x' })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toBe("touch: cannot touch '/usr/x': Read-only file system\ntouch: cannot touch '/etc/x': Read-only file system\n")
  })

  it("cannot open a socket to the host (sandboxd's own port) or anywhere else", async () => {
    const port = new URL(sandboxd.url).port
    const result = await exec({ argv: ['bash', '-c', `echo > /dev/tcp/127.0.0.1/${port}; echo > /dev/tcp/192.0.2.1/80`] })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(`/dev/tcp/127.0.0.1/${port}: Connection refused`)
    expect(result.stderr).toContain('/dev/tcp/192.0.2.1/80: Network is unreachable')
  })

  it('a 4 GiB allocation fails under the default 512 MB limit', async () => {
    const result = await exec({ argv: ['perl', '-e', '$x = "a" x (4 * 1024**3); print "allocated\\n"'] })
    expect(result.exitCode).not.toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('Out of memory!')
    expect(result.limitExceeded).toBe('memory')
  })

  it('a fork bomb hits the process limit and takes nothing with it', async () => {
    const result = await exec({ argv: ['bash', '-c', ':(){ :|:& };:; sleep 20'], timeoutMs: 3_000, limits: { maxProcesses: 64 } })
    expect(result.timedOut).toBe(true)
    expect(result.signal).toBe('SIGKILL')
    expect(result.limitExceeded).toBe('processes')
    expect(result.stderr).toContain('fork: retry: Resource temporarily unavailable')
    // The pid namespace went down with the run: no bomb process survives on the host.
    const survivors = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(':(){ :|:& };:'))
    expect(survivors).toEqual([])
  })

  it('an endless loop is killed at the wall-clock timeout', async () => {
    const result = await exec({ command: 'sleep 30', timeoutMs: 1_000 })
    expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL', exitCode: 137 })
    expect(result.duration).toBeLessThan(3_000)
  })

  it('a busy loop is stopped by the CPU-time limit', async () => {
    const result = await exec({ command: 'while :; do :; done', timeoutMs: 20_000, limits: { cpuSeconds: 1 } })
    expect(result).toMatchObject({ timedOut: false, signal: 'SIGXCPU', exitCode: 152, limitExceeded: 'cpu' })
    expect(result.usage?.cpuUserMs).toBeGreaterThan(500)
  })

  it('a 10 GB write stops at the file-size limit', async () => {
    const result = await exec({ command: 'head -c 10G /dev/zero > big' })
    expect(result).toMatchObject({ exitCode: 153, signal: 'SIGXFSZ', limitExceeded: 'file-size' })
    expect(statSync(join(sandboxd.stateDir, 'work', 't1', 'escape', 'big')).size).toBe(256 * 1024 * 1024)
    await exec({ command: 'rm big' })
  })

  it('caps output and says so', async () => {
    const result = await exec({ command: 'head -c 5000 /dev/zero | tr "\\0" x; echo; yes err | head -c 3000 >&2', limits: { maxOutputBytes: 1024 } })
    expect(result.stdout).toBe('x'.repeat(1024))
    expect(result.stderr).toBe('err\n'.repeat(256))
    expect(result.truncated).toBe(true)
  })
})

describe('symlinks out of the work dir', () => {
  const files = '/v1/sandboxes/t1/escape/files'
  const file = (path: string) => `/v1/sandboxes/t1/escape/file?${new URLSearchParams({ path })}`

  it('are listed with their target, never followed when read or written', async () => {
    const passwdBefore = sha256('/etc/passwd')
    await exec({ command: 'ln -s /etc/passwd leak && ln -s ../../../../../.. up && mkdir real && ln -s real/x inside' })

    const listing = (await (await sandboxd.call(files)).json()) as { entries: Array<Record<string, unknown>> }
    expect(listing.entries).toEqual([
      { path: 'inside', kind: 'symlink', size: 6, mtimeMs: expect.any(Number), target: 'real/x', targetInside: true },
      { path: 'leak', kind: 'symlink', size: 11, mtimeMs: expect.any(Number), target: '/etc/passwd', targetInside: false },
      { path: 'real', kind: 'directory', size: 0, mtimeMs: expect.any(Number) },
      { path: 'up', kind: 'symlink', size: 17, mtimeMs: expect.any(Number), target: '../../../../../..', targetInside: false },
    ])

    const read = await sandboxd.call(file('leak'))
    expect(read.status).toBe(400)
    expect(((await read.json()) as { error: { code: string } }).error.code).toBe('EACCES')

    const through = await sandboxd.call(file('up/etc/passwd'))
    expect(through.status).toBe(400)
    expect(((await through.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'EACCES',
      message: "'up/etc/passwd' passes through a symlink; sandboxd never follows symlinks in the work dir",
      details: { path: 'up/etc/passwd' },
    })

    const writeThrough = await sandboxd.call(file('up/etc/passwd'), { method: 'PUT', body: 'pwned' })
    expect(writeThrough.status).toBe(400)

    // Writing to the link's own path replaces the link with a file; the link's target is untouched.
    const replace = await sandboxd.call(file('leak'), { method: 'PUT', body: 'mine' })
    expect(replace.status).toBe(200)
    expect(sha256('/etc/passwd')).toBe(passwdBefore)
    expect((await exec({ command: 'cat leak' })).stdout).toBe('mine')

    await exec({ command: 'rm -rf leak up inside real' })
  })
})
