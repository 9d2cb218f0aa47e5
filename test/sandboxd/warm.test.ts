/**
 * The warm sandbox: one bubblewrap sandbox per agent, its supervisor running
 * each command in turn. Commands share the sandbox but nothing of each
 * other's: no process, no /tmp or /dev/shm file, no SysV IPC object, no
 * variable, cwd or limit carries over. The sandbox starts on PUT (agent
 * spawn), dies on DELETE (terminate) or after its idle timeout, and is
 * replaced when a command kills its supervisor.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExecResponse } from '../../sandboxd/protocol'
import { startTestSandboxd, type TestSandboxd } from './helpers'

let sandboxd: TestSandboxd
const exec = (body: Record<string, unknown>, sandbox = 'warm') => sandboxd.post<ExecResponse>(`/v1/sandboxes/t1/${sandbox}/exec`, body)

beforeAll(async () => {
  sandboxd = await startTestSandboxd()
})
afterAll(async () => {
  await sandboxd.close()
})

/** The supervisor's pid inside the sandbox (its comm is the first 15 bytes of its file name). */
const SUPERVISOR_PID = 'for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = sandboxd-superv ] && echo ${p#/proc/}; done; true'

async function supervisorPid(sandbox = 'warm'): Promise<string> {
  const result = await exec({ command: SUPERVISOR_PID }, sandbox)
  expect(result.exitCode).toBe(0)
  expect(result.stdout).toMatch(/^\d+\n$/)
  return result.stdout.trim()
}

/**
 * The host pids of the processes whose command line names the sandbox's work
 * dir: its bwrap. The same pids before and after a command mean the same
 * sandbox (inside, every fresh sandbox numbers its supervisor alike).
 */
function hostSandbox(server: TestSandboxd, sandbox: string): string {
  const workDir = join(server.stateDir, 'work', 't1', sandbox)
  const pids: string[] = []
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(workDir)) pids.push(pid)
    } catch {
      // The process ended while we looked.
    }
  }
  return pids.sort().join(',')
}

describe('the warm sandbox', () => {
  it('runs consecutive commands in the same sandbox', async () => {
    await supervisorPid()
    const first = hostSandbox(sandboxd, 'warm')
    expect(first).not.toBe('')
    await supervisorPid()
    expect(hostSandbox(sandboxd, 'warm')).toBe(first)
  })

  it('leaves no process of one command running into the next, detached or not', async () => {
    const left = await exec({ command: 'sleep 300 & setsid sleep 301 & (sleep 302 &); echo started' })
    expect(left).toMatchObject({ exitCode: 0, stdout: 'started\n' })
    const next = await exec({ command: 'cat /proc/[0-9]*/comm 2>/dev/null | sort' })
    expect(next.stdout.split('\n')).not.toContain('sleep')
  })

  it('empties /tmp and /dev/shm between commands, even a directory left without permissions', async () => {
    const left = await exec({ command: 'echo x > /tmp/leak; mkdir -p /tmp/d/e && touch /tmp/d/e/f && chmod 000 /tmp/d; echo y > /dev/shm/leak; ls -A /tmp' })
    expect(left).toMatchObject({ exitCode: 0, stdout: 'd\nleak\n' })
    const next = await exec({ command: 'ls -A /tmp /dev/shm; echo more > /tmp/again && cat /tmp/again' })
    expect(next).toMatchObject({ exitCode: 0, stdout: '/dev/shm:\n\n/tmp:\nmore\n' })
  })

  it('removes SysV IPC objects a command created', async () => {
    const left = await exec({ command: 'ipcmk -M 4096 >/dev/null && ipcmk -Q >/dev/null && ipcs -m -q | grep -c "^0x"' })
    expect(left).toMatchObject({ exitCode: 0, stdout: '2\n' })
    const next = await exec({ command: 'ipcs -m -q | grep -c "^0x"' })
    expect(next.stdout).toBe('0\n')
  })

  it('gives each command its own environment, cwd and limits', async () => {
    await mkdir(join(sandboxd.stateDir, 'work', 't1', 'warm', 'sub'), { recursive: true })
    const first = await exec({ command: 'echo "$SECRET_X"; pwd; ulimit -v', env: { SECRET_X: 'one' }, cwd: 'sub', limits: { memoryMb: 64 } })
    expect(first).toMatchObject({ exitCode: 0, stdout: 'one\n/sub\n65536\n' })
    const next = await exec({ command: 'echo "${SECRET_X-unset}"; pwd; ulimit -v; export LATER=1' })
    expect(next).toMatchObject({ exitCode: 0, stdout: 'unset\n/\n524288\n' })
  })

  it("keeps the supervisor's pipes and memory out of a command's reach", async () => {
    const pid = await supervisorPid()
    const result = await exec({ command: `ls /proc/${pid}/fd; echo forged > /proc/${pid}/fd/1; head -c1 /proc/${pid}/mem` })
    expect(result.exitCode).not.toBe(0)
    expect(result.stderr).toContain(`/proc/${pid}/fd': Permission denied`)
    expect(result.stderr).toContain(`/proc/${pid}/fd/1: Permission denied`)
    expect(result.stdout).toBe('')
    expect(await supervisorPid()).toBe(pid)
  })

  it('kills a command at its timeout and serves the next one in the same sandbox', async () => {
    await supervisorPid()
    const before = hostSandbox(sandboxd, 'warm')
    const slow = await exec({ command: 'sleep 30', timeoutMs: 300 })
    expect(slow).toMatchObject({ timedOut: true, signal: 'SIGKILL', exitCode: 137 })
    await supervisorPid()
    expect(hostSandbox(sandboxd, 'warm')).toBe(before)
  })

  it('fails the run whose command kills the supervisor, and starts a fresh sandbox for the next', async () => {
    const pid = await supervisorPid()
    const before = hostSandbox(sandboxd, 'warm')
    const response = await sandboxd.call('/v1/sandboxes/t1/warm/exec', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ command: `kill -9 ${pid}; sleep 5` }),
    })
    expect(response.status).toBe(502)
    expect(await response.json()).toMatchObject({ error: { code: 'SANDBOX_ERROR' } })
    expect(await exec({ command: 'echo fine' })).toMatchObject({ exitCode: 0, stdout: 'fine\n' })
    const after = hostSandbox(sandboxd, 'warm')
    expect(after).not.toBe('')
    expect(after).not.toBe(before)
  })

  it('is started by PUT and killed by DELETE', async () => {
    expect(hostSandbox(sandboxd, 'spawned')).toBe('')
    const created = await sandboxd.call('/v1/sandboxes/t1/spawned', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(created.status).toBe(200)
    const warm = hostSandbox(sandboxd, 'spawned')
    expect(warm).not.toBe('')
    await exec({ command: 'true' }, 'spawned')
    expect(hostSandbox(sandboxd, 'spawned')).toBe(warm)
    const destroyed = await sandboxd.call('/v1/sandboxes/t1/spawned', { method: 'DELETE' })
    expect(destroyed.status).toBe(200)
    await expect.poll(() => hostSandbox(sandboxd, 'spawned')).toBe('')
  })

  it('is reaped after its idle timeout and started again by the next command', async () => {
    const idle = await startTestSandboxd({ SANDBOXD_WARM_IDLE_MS: '200' })
    try {
      const run = () => idle.post<ExecResponse>('/v1/sandboxes/t1/idle/exec', { command: 'true' })
      await run()
      const first = hostSandbox(idle, 'idle')
      expect(first).not.toBe('')
      await expect.poll(() => hostSandbox(idle, 'idle'), { timeout: 5_000 }).toBe('')
      expect(await run()).toMatchObject({ exitCode: 0 })
      const second = hostSandbox(idle, 'idle')
      expect(second).not.toBe('')
      expect(second).not.toBe(first)
    } finally {
      await idle.close()
    }
  })
})

describe('without a C compiler', () => {
  it('runs each command in a sandbox of its own, as contained, and says why in the log', async () => {
    const plain = await startTestSandboxd({ SANDBOXD_CC: '/nonexistent/cc' })
    try {
      expect(plain.logs.join('\n')).toContain('could not compile supervisor.c')
      const run = (command: string) => plain.post<ExecResponse>('/v1/sandboxes/t1/plain/exec', { command })
      expect(await run('sleep 300 & echo x > /tmp/leak; id -u')).toMatchObject({ exitCode: 0, stdout: '1000\n' })
      expect(hostSandbox(plain, 'plain')).toBe('')
      expect(await run('ls -A /tmp; cat /proc/[0-9]*/comm | grep -c sleep')).toMatchObject({ stdout: '0\n' })
      expect(await run('cat /etc/shadow')).toMatchObject({ exitCode: 1, stderr: 'cat: /etc/shadow: Permission denied\n' })
    } finally {
      await plain.close()
    }
  })
})
