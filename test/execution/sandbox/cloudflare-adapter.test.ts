/**
 * Contract test of the production adapter: the container service cannot run
 * here, so a recording stand-in for the `SANDBOX` Durable Object namespace
 * checks the exact `@cloudflare/sandbox` calls and argument shapes (the one
 * fake in these tests). `getSandbox` itself is the real SDK function.
 */
import { describe, expect, it } from 'vitest'
import type { Sandbox } from '../../../src/execution/sandbox/cloudflare-sandbox-class'
import { cloudflareSandboxId, createCloudflareSandboxClient } from '../../../src/execution/sandbox/cloudflare-adapter'
import { FabricError } from '../../../types/errors'
import { shellQuote } from '../../../src/execution/sandbox/shell-quote'
import { sandboxExecutor } from '../../../src/execution/sandbox/executor'
import { callFor, memoryFs } from './helpers'

interface Call {
  method: string
  args: unknown[]
}

type Responder = (...args: unknown[]) => unknown

/** The namespace and stub surface getSandbox uses: idFromName, get, and the Sandbox DO's RPC methods. */
function recordingNamespace(responders: Record<string, Responder> = {}) {
  const calls: Call[] = []
  const stub = new Proxy(
    {},
    {
      get(_target, prop) {
        if (typeof prop !== 'string' || prop === 'then') return undefined
        return (...args: unknown[]) => {
          calls.push({ method: prop, args })
          return Promise.resolve().then(() => responders[prop]?.(...args))
        }
      },
    },
  )
  const namespace = {
    idFromName: (name: string) => {
      calls.push({ method: 'idFromName', args: [name] })
      return { name }
    },
    get: () => stub,
  }
  const operations = () => calls.filter((call) => !['idFromName', 'configure'].includes(call.method))
  return { namespace: namespace as unknown as DurableObjectNamespace<Sandbox>, calls, operations }
}

const ref = { tenantId: 't1', sandboxId: 'agent-7' }
const isolation = { level: 'container' as const, memoryMb: 512, cpuCores: 1, networkEgress: ['api.example.com'] }
const execResult = (overrides: Record<string, unknown> = {}) => ({
  success: true,
  exitCode: 0,
  stdout: '',
  stderr: '',
  command: '',
  duration: 12,
  timestamp: '2026-01-01T00:00:00Z',
  ...overrides,
})

describe('cloudflareSandboxId', () => {
  it('is a stable, lowercase, DNS-safe id of at most 63 characters', async () => {
    const id = await cloudflareSandboxId(ref)
    expect(id).toMatch(/^fabric-[0-9a-f]{40}$/)
    expect(await cloudflareSandboxId({ ...ref })).toBe(id)
    expect(await cloudflareSandboxId({ tenantId: 't1', sandboxId: 'agent-8' })).not.toBe(id)
  })
})

describe('the @cloudflare/sandbox adapter', () => {
  it('opens the agent’s sandbox by its id, with tenant and sandbox as container labels', async () => {
    const { namespace, calls } = recordingNamespace()
    await createCloudflareSandboxClient(namespace).destroy(ref)
    expect(calls[0]).toEqual({ method: 'idFromName', args: [await cloudflareSandboxId(ref)] })
    expect(calls.find((call) => call.method === 'configure')?.args[0]).toMatchObject({ labels: { tenant: 't1', sandbox: 'agent-7' } })
    expect(calls.at(-1)).toEqual({ method: 'destroy', args: [] })
  })

  it('exec: egress allow-list, work dir, stdin file, then one shell line with memory and wall-clock limits', async () => {
    const { namespace, operations } = recordingNamespace({ exec: () => execResult({ stdout: 'HELLO', duration: 40 }) })
    const outcome = await createCloudflareSandboxClient(namespace).exec(ref, {
      argv: ['tr', 'a-z', 'A-Z'],
      cwd: 'data',
      env: { LC_ALL: 'C' },
      stdin: new TextEncoder().encode('hello'),
      timeoutMs: 2500,
      isolation,
    })
    const ops = operations()
    expect(ops.map((op) => op.method)).toEqual(['setAllowedHosts', 'mkdir', 'writeFile', 'exec'])
    expect(ops[0]?.args).toEqual([['api.example.com']])
    expect(ops[1]?.args).toEqual(['/workspace', { recursive: true }])
    const [stdinPath, stdinContent, stdinOptions] = ops[2]?.args ?? []
    expect(stdinPath).toMatch(/^\/tmp\/edge-fabric-stdin-[0-9a-f-]{36}$/)
    expect(stdinContent).toBe(btoa('hello'))
    expect(stdinOptions).toEqual({ encoding: 'base64' })
    // shellQuote is checked against a real shell in test/sandboxd/shell-quote.test.ts.
    const line = `ulimit -v 524288; exec timeout -s KILL 3 sh -c ${shellQuote("'tr' 'a-z' 'A-Z'")} < ${stdinPath}`
    expect(ops[3]?.args).toEqual([
      `sh -c ${shellQuote(line)}`,
      { cwd: '/workspace/data', env: { LC_ALL: 'C' }, timeout: 7500 },
    ])
    expect(outcome).toEqual({
      exitCode: 0,
      signal: null,
      stdout: 'HELLO',
      stderr: '',
      duration: 40,
      timedOut: false,
      truncated: false,
      limitExceeded: null,
      usage: null,
      level: 'container',
    })
  })

  it('exec without an isolation config leaves the egress allow-list alone and limits memory to the default 512 MB', async () => {
    const { namespace, operations } = recordingNamespace({ exec: () => execResult() })
    await createCloudflareSandboxClient(namespace).exec(ref, { command: 'true', cwd: '', env: {}, timeoutMs: 1000 })
    expect(operations()).toEqual([
      {
        method: 'exec',
        args: [`sh -c ${shellQuote(`ulimit -v 524288; exec timeout -s KILL 1 sh -c ${shellQuote('true')}`)}`, { cwd: '/workspace', env: {}, timeout: 6000 }],
      },
    ])
  })

  it('exec: a kill at the timeout is reported as timed out', async () => {
    const { namespace } = recordingNamespace({ exec: () => execResult({ exitCode: 137, duration: 1003, success: false }) })
    const outcome = await createCloudflareSandboxClient(namespace).exec(ref, { command: 'sleep 30', cwd: '', env: {}, timeoutMs: 1000, isolation })
    expect(outcome).toMatchObject({ exitCode: 137, signal: 'SIGKILL', timedOut: true })
  })

  it('lists /workspace recursively, hidden files included', async () => {
    const files = [
      { name: 'src', absolutePath: '/workspace/src', relativePath: 'src', type: 'directory', size: 4096, modifiedAt: '2026-01-01T00:00:00.000Z' },
      { name: 'a.txt', absolutePath: '/workspace/src/a.txt', relativePath: 'src/a.txt', type: 'file', size: 3, modifiedAt: '2026-01-01T00:00:01.500Z' },
      { name: 'l', absolutePath: '/workspace/l', relativePath: 'l', type: 'symlink', size: 4, modifiedAt: '2026-01-01T00:00:02.000Z' },
    ]
    const { namespace, operations } = recordingNamespace({ listFiles: () => ({ success: true, path: '/workspace', files, count: 3 }) })
    const entries = await createCloudflareSandboxClient(namespace).listFiles(ref)
    expect(operations()).toEqual([{ method: 'listFiles', args: ['/workspace', { recursive: true, includeHidden: true }] }])
    expect(entries).toEqual([
      { path: 'src', kind: 'directory', size: 0, mtimeMs: Date.parse('2026-01-01T00:00:00.000Z') },
      { path: 'src/a.txt', kind: 'file', size: 3, mtimeMs: Date.parse('2026-01-01T00:00:01.500Z') },
      { path: 'l', kind: 'symlink', size: 4, mtimeMs: Date.parse('2026-01-01T00:00:02.000Z') },
    ])
  })

  it('writes: deletions, directories, base64 files, then their mtimes', async () => {
    const { namespace, operations } = recordingNamespace({ exec: () => execResult() })
    const bytes = Uint8Array.from([0, 255, 10])
    await createCloudflareSandboxClient(namespace).writeFiles(ref, {
      deletes: ['old', "it's"],
      mkdirs: ['new/dir'],
      files: [{ path: 'new/dir/b.bin', size: 3, mtimeMs: 1700000000123, open: async () => new Response(bytes).body! }],
    })
    expect(operations()).toEqual([
      { method: 'exec', args: [`rm -rf -- '/workspace/old' '/workspace/it'\\''s'`, { cwd: '/workspace' }] },
      { method: 'mkdir', args: ['/workspace/new/dir', { recursive: true }] },
      { method: 'writeFile', args: ['/workspace/new/dir/b.bin', 'AP8K', { encoding: 'base64' }] },
      { method: 'exec', args: [`touch -m -d @1700000000.123 -- '/workspace/new/dir/b.bin'`, { cwd: '/workspace' }] },
    ])
  })

  it('reads files as base64, refusing them over the cap with EFBIG', async () => {
    const { namespace, operations } = recordingNamespace({
      readFile: () => ({ success: true, path: '/workspace/o.bin', content: 'AP8K', encoding: 'base64', timestamp: '' }),
    })
    const client = createCloudflareSandboxClient(namespace)
    const body = await client.readFile(ref, 'o.bin', 10)
    expect(body.size).toBe(3)
    expect(new Uint8Array(await new Response(body.stream).arrayBuffer())).toEqual(Uint8Array.from([0, 255, 10]))
    expect(operations()).toEqual([{ method: 'readFile', args: ['/workspace/o.bin', { encoding: 'base64' }] }])
    await expect(client.readFile(ref, 'o.bin', 2)).rejects.toMatchObject({ code: 'EFBIG' })
  })

  it('reports usage from the container’s cgroup and the work dir', async () => {
    const { namespace } = recordingNamespace({
      exec: () => execResult({ stdout: 'usage_usec 9000\nuser_usec 7000\nsystem_usec 2000\nmemory_peak 10485760\ndisk_kb 12\nentries 3\n' }),
    })
    expect(await createCloudflareSandboxClient(namespace).usage(ref)).toEqual({
      cpuUserMs: 7,
      cpuSystemMs: 2,
      maxRssKb: 10240,
      diskBytes: 12 * 1024,
      files: 3,
      execs: null,
    })
  })

  it('turns SDK failures into coded errors', async () => {
    const unavailable = Object.assign(new Error('no capacity'), { name: 'ContainerUnavailableError' })
    const { namespace } = recordingNamespace({ listFiles: () => Promise.reject(unavailable), destroy: () => Promise.reject(new Error('boom')) })
    const client = createCloudflareSandboxClient(namespace)
    await expect(client.listFiles(ref)).rejects.toEqual(new FabricError('TIER_UNAVAILABLE', '@cloudflare/sandbox listFiles failed: no capacity'))
    await expect(client.destroy(ref)).rejects.toEqual(new FabricError('SANDBOX_ERROR', '@cloudflare/sandbox destroy failed: boom'))
  })
})

describe('tier 4 on the SANDBOX binding', () => {
  it('prefers the binding over sandboxd, syncs fsx in, runs, and syncs the result back', async () => {
    const fs = memoryFs()
    await fs.write('/in.txt', 'hello')
    const inStat = await fs.stat('/in.txt')
    const listings = [
      { files: [] },
      { files: [{ relativePath: 'in.txt', type: 'file', size: 5, modifiedAt: new Date(inStat.mtime).toISOString() }] },
      {
        files: [
          { relativePath: 'in.txt', type: 'file', size: 5, modifiedAt: new Date(inStat.mtime).toISOString() },
          { relativePath: 'out.txt', type: 'file', size: 5, modifiedAt: '2026-01-01T00:00:00.000Z' },
        ],
      },
    ]
    const { namespace, operations } = recordingNamespace({
      listFiles: () => listings.shift(),
      exec: () => execResult(),
      readFile: () => ({ success: true, path: '/workspace/out.txt', content: btoa('HELLO'), encoding: 'base64', timestamp: '' }),
    })
    const result = await sandboxExecutor.run(
      callFor('sh', ['tr a-z A-Z < in.txt > out.txt'], {}, { SANDBOX: namespace, SANDBOX_URL: 'http://127.0.0.1:65531' }, fs),
    )
    expect(result).toMatchObject({ ok: true, tier: 4, exitCode: 0, value: { sync: { written: ['/out.txt'], skipped: [] } } })
    expect(await fs.readText('/out.txt')).toBe('HELLO')
    expect(operations().map((op) => op.method)).toEqual([
      'listFiles', // the work dir before the run
      'writeFile', // in.txt, from fsx
      'exec', // touch in.txt to fsx's mtime
      'listFiles', // the baseline
      'exec', // the command (no isolation config: the sandbox keeps its egress settings)
      'listFiles', // after the run
      'readFile', // out.txt, back to fsx
      'exec', // touch out.txt to its new fsx mtime
    ])
  })
})
