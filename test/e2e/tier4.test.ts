/**
 * Tier 4 end to end: the fabric's executor (in workerd) → sandboxd (a real
 * process, started by test/e2e/tier4/sandboxd.global-setup.ts) → bubblewrap,
 * with fsx on local R2. Run with `npx vitest run -c vitest.tier4.config.ts`.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ExecOptions, ExecResult, FileSystem } from '../../types/execution'
import type { Env } from '../../src/env'
import { createFileSystem, tenantRoot } from '../../src/execution/fsx/index'
import { resolveOptions } from '../../src/execution/index'
import { sandboxExecutor, TENANT_SANDBOX_ID } from '../../src/execution/sandbox/executor'
import { createSandboxdClient } from '../../src/execution/sandbox/sandboxd-adapter'
import { agentResourceUsage, createAgentSandbox, destroyAgentSandbox } from '../../src/execution/sandbox/isolation-manager'

const bindings = env as unknown as Env

function fsFor(tenantId: string): FileSystem {
  return createFileSystem('r2', { root: tenantRoot(tenantId), bindings })
}

/** The tier-4 executor, called as the router calls it (options resolved as the factory resolves them). */
function run(tenantId: string, operation: string, args: unknown[], options: ExecOptions = {}): Promise<ExecResult> {
  return sandboxExecutor.run({ operation, args, options: resolveOptions({ tier: 4, ...options }, tenantId), fs: fsFor(tenantId), bindings })
}

const sh = (tenantId: string, line: string, options: ExecOptions = {}) => run(tenantId, 'sh', [line], options)

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

describe('tier 4 runs real Linux processes', () => {
  it('uname -s; id -u prints Linux and a non-zero uid', async () => {
    const result = await sh('e2e-basic', 'uname -s; id -u')
    expect(result).toMatchObject({ ok: true, tier: 4, exitCode: 0, stdout: 'Linux\n1000\n', stderr: '' })
  })

  it('transforms a file written through fsx, in a cwd, and the result is readable through fsx', async () => {
    const fs = fsFor('e2e-files')
    await fs.write('/docs/in.txt', 'hello tier four\n', { parents: true })
    const result = await sh('e2e-files', 'tr a-z A-Z < in.txt > out.txt', { cwd: '/docs' })
    expect(result).toMatchObject({ ok: true, exitCode: 0, value: { sync: { written: ['/docs/out.txt'], deleted: [], skipped: [] } } })
    expect(await fs.readText('/docs/out.txt')).toBe('HELLO TIER FOUR\n')
  })

  it('copies only changed files in: an unchanged file keeps its inode change time across runs', async () => {
    const fs = fsFor('e2e-incremental')
    await fs.write('/keep.txt', 'same')
    const first = await sh('e2e-incremental', 'stat -c %.9Z keep.txt')
    const second = await sh('e2e-incremental', 'stat -c %.9Z keep.txt')
    expect(second.stdout).toBe(first.stdout)
    await fs.write('/keep.txt', 'changed in fsx')
    expect((await sh('e2e-incremental', 'cat keep.txt')).stdout).toBe('changed in fsx')
  })

  it('skips listing the work dir when the last run left it as fsx says, yet sees what changed it behind the fabric', async () => {
    const tenantId = `e2e-known-${crypto.randomUUID().slice(0, 8)}`
    await fsFor(tenantId).write('/a.txt', 'a')
    expect((await sh(tenantId, 'ls')).stdout).toBe('a.txt\n')
    // Written straight into the work dir through sandboxd, not through fsx: the next run must not see it, nor copy it to fsx.
    const client = createSandboxdClient({ url: bindings.SANDBOX_URL ?? '', secret: bindings.SANDBOXD_SECRET ?? '' })
    const stray = { path: 'stray.txt', kind: 'file' as const, size: 1, mtimeMs: Date.now(), open: async () => new Blob(['s']).stream() }
    await client.writeFiles({ tenantId, sandboxId: TENANT_SANDBOX_ID }, { deletes: [], mkdirs: [], modes: {}, files: [stray] })
    const next = await sh(tenantId, 'ls')
    expect(next.stdout).toBe('a.txt\n')
    expect(next.value).toMatchObject({ sync: { written: [], deleted: [] } })
    expect(await fsFor(tenantId).exists('/stray.txt')).toBe(false)
  })

  it('is binary-safe both ways and mirrors deletions', async () => {
    const fs = fsFor('e2e-binary')
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
    await fs.write('/all-bytes.bin', bytes)
    await fs.write('/gone.txt', 'bye')
    const result = await sh('e2e-binary', "sha256sum all-bytes.bin | cut -d' ' -f1; printf '\\377\\000\\001' > made.bin; rm gone.txt")
    expect(result.stdout).toBe(`${await sha256Hex(bytes)}\n`)
    expect(await fs.read('/made.bin')).toEqual(Uint8Array.from([255, 0, 1]))
    expect(await fs.exists('/gone.txt')).toBe(false)
    expect(result.value).toMatchObject({ sync: { written: ['/made.bin'], deleted: ['/gone.txt'] } })
  })

  it('keeps tenants apart: one tenant’s files are not in another’s sandbox', async () => {
    await fsFor('e2e-tenant-a').write('/secret.txt', 'for a only')
    expect((await sh('e2e-tenant-a', 'cat secret.txt')).stdout).toBe('for a only')
    const other = await sh('e2e-tenant-b', 'cat /secret.txt')
    expect(other).toMatchObject({ ok: false, error: { code: 'COMMAND_FAILED' } })
    expect(other.stderr).toBe('cat: /secret.txt: No such file or directory\n')
  })

  it('passes stdin and env through', async () => {
    const result = await sh('e2e-basic', 'printf "%s:" "$NAME"; cat', { stdin: 'from stdin', env: { NAME: 'tier4' } })
    expect(result.stdout).toBe('tier4:from stdin')
  })

  it("runs under the tenant's run limits (CPU seconds, processes) as rlimits, and under sandboxd's defaults without them", async () => {
    // The soft limits the run's processes inherit, as the kernel reports them.
    const line = "awk '/^Max cpu time/ { print $4 } /^Max processes/ { print $3 }' /proc/self/limits"
    const limited = await sh('e2e-basic', line, { runLimits: async () => ({ cpuSeconds: 7, maxProcesses: 33 }) })
    expect(limited).toMatchObject({ ok: true, stdout: '7\n33\n' })
    expect((await sh('e2e-basic', line)).stdout).toBe('60\n128\n')
  })
})

describe('escape attempts come back as coded failures', () => {
  it('a symlink out of the work dir is never synced back: EACCES, and fsx stays clean', async () => {
    const fs = fsFor('e2e-symlink')
    const result = await sh('e2e-symlink', 'ln -s /etc/passwd leak && ln -s ../../.. up')
    // The command exited 0, but fsx cannot keep what it made: exit status 1, a stderr line per refused path.
    expect(result).toMatchObject({ ok: false, exitCode: 1, error: { code: 'EACCES' } })
    expect(result.error?.message).toBe("'/leak' is a symlink to '/etc/passwd', outside the work dir; it was not followed or synced back")
    expect(result.stderr).toBe(
      "sandbox: '/leak' is a symlink to '/etc/passwd', outside the work dir; it was not followed or synced back\n" +
        "sandbox: '/up' is a symlink to '../../..', outside the work dir; it was not followed or synced back\n",
    )
    expect(await fs.readdir('/')).toEqual([])
    // The next run starts from fsx again: the links are gone from the work dir.
    expect((await sh('e2e-symlink', 'ls -A')).stdout).toBe('')
  })

  it('a file over the sync limit is reported EFBIG and not copied into fsx', async () => {
    const fs = fsFor('e2e-efbig')
    const result = await sh('e2e-efbig', 'head -c 70M /dev/zero > huge.bin')
    expect(result).toMatchObject({ ok: false, exitCode: 1, error: { code: 'EFBIG' } })
    expect(result.error?.message).toBe(`'/huge.bin' is ${70 * 1024 * 1024} bytes, over the ${64 * 1024 * 1024}-byte sync limit; it was not synced back`)
    expect(await fs.exists('/huge.bin')).toBe(false)
  })

  it('sleep 30 with timeoutMs 1000 fails with TIMEOUT within ~3 s', async () => {
    const startedAt = Date.now()
    const result = await sh('e2e-escape', 'sleep 30', { timeoutMs: 1_000 })
    expect(result).toMatchObject({ ok: false, tier: 4, error: { code: 'TIMEOUT', details: { signal: 'SIGKILL' } } })
    expect(Date.now() - startedAt).toBeLessThan(3_000)
  })

  it('a 4 GiB allocation fails under the default 512 MB limit: RESOURCE_EXHAUSTED', async () => {
    const result = await run('e2e-escape', 'perl', ['-e', '$x = "a" x (4 * 1024**3)'])
    expect(result).toMatchObject({ ok: false, error: { code: 'RESOURCE_EXHAUSTED', details: { limit: 'memory' } } })
  })

  it('a fork bomb is stopped: TIMEOUT, with the process limit it hit', async () => {
    const result = await run('e2e-escape', 'bash', ['-c', ':(){ :|:& };:; sleep 20'], { timeoutMs: 2_000 })
    expect(result).toMatchObject({ ok: false, error: { code: 'TIMEOUT', details: { limit: 'processes' } } })
  })

  it('a 10 GB write stops at the file-size limit: RESOURCE_EXHAUSTED', async () => {
    const result = await sh('e2e-escape', 'head -c 10G /dev/zero > big; status=$?; rm -f big; exit $status')
    expect(result).toMatchObject({ ok: false, exitCode: 153, error: { code: 'RESOURCE_EXHAUSTED', details: { limit: 'file-size' } } })
  })

  it('reading /etc/shadow, the host environment, the network or /usr all fail inside', async () => {
    const shadow = await sh('e2e-escape', 'cat /etc/shadow')
    expect(shadow).toMatchObject({ ok: false, error: { code: 'COMMAND_FAILED' }, stderr: 'cat: /etc/shadow: Permission denied\n' })
    const environment = await sh('e2e-escape', 'env | cut -d= -f1 | sort | tr "\\n" " "')
    expect(environment.stdout).toBe('HOME LANG LD_PRELOAD PATH PWD TMPDIR ')
    const network = await run('e2e-escape', 'bash', ['-c', 'echo > /dev/tcp/127.0.0.1/8787'])
    expect(network).toMatchObject({ ok: false, error: { code: 'COMMAND_FAILED' } })
    expect(network.stderr).toContain('Connection refused')
    const usr = await sh('e2e-escape', 'echo x > /usr/x')
    expect(usr.stderr).toContain('Read-only file system')
  })

  it('sandboxd still serves the next request', async () => {
    expect(await sh('e2e-escape', 'echo alive')).toMatchObject({ ok: true, stdout: 'alive\n' })
  })
})

describe('the agent sandbox lifecycle (seed 001 IsolationManager)', () => {
  it('creates with the agent’s isolation, reports usage, and destroys the work dir', async () => {
    await createAgentSandbox(bindings, 'e2e-life', 'agent-1', { level: 'process', memoryMb: 256, cpuCores: 1, networkEgress: [] })
    const run1 = await sh('e2e-life', 'echo kept > only-in-sandbox.txt; ln -s /etc x', { agentId: 'agent-1' })
    // Without an isolation config of its own, the run keeps the one the sandbox was created with.
    expect(run1.value).toMatchObject({ isolation: 'process' })
    const usage = await agentResourceUsage(bindings, 'e2e-life', 'agent-1')
    expect(usage.execs).toBe(1)
    expect(usage.cpuUserMs + usage.cpuSystemMs).toBeGreaterThan(0)
    expect(usage.files).toBe(2)
    await destroyAgentSandbox(bindings, 'e2e-life', 'agent-1')
    expect(await agentResourceUsage(bindings, 'e2e-life', 'agent-1')).toMatchObject({ execs: 0, files: 0, diskBytes: 0 })
  })
})
