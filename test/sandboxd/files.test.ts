/**
 * The work-dir file API of a real sandboxd: binary-safe transfer, the sha-256
 * manifest, mtimes, batches, and its limits.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExecResponse, WorkDirEntry } from '../../sandboxd/protocol'
import { startTestSandboxd, type TestSandboxd } from './helpers'

let sandboxd: TestSandboxd
const base = '/v1/sandboxes/t1/files-agent'
const file = (path: string, extra: Record<string, string> = {}) => `${base}/file?${new URLSearchParams({ path, ...extra })}`
const exec = (body: Record<string, unknown>) => sandboxd.post<ExecResponse>(`${base}/exec`, body)
const list = async () => ((await (await sandboxd.call(`${base}/files`)).json()) as { entries: WorkDirEntry[] }).entries

beforeAll(async () => {
  sandboxd = await startTestSandboxd({ SANDBOXD_MAX_FILE_BYTES: '4096' })
})
afterAll(async () => {
  await sandboxd.close()
})

const BINARY = Uint8Array.from({ length: 256 }, (_, i) => 255 - i)
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex')

describe('files in and out of the work dir', () => {
  it('runs an exec conditional on the generation only if nothing changed the work dir since', async () => {
    const other = '/v1/sandboxes/t1/files-generation'
    const run = (body: Record<string, unknown>) =>
      sandboxd.call(`${other}/exec`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const first = (await (await run({ command: 'true', manifest: true })).json()) as ExecResponse
    expect(first.generation).toMatch(/^[0-9a-f-]{36}$/)
    const second = (await (await run({ command: 'echo ran > ran.txt', manifest: true, ifGeneration: first.generation })).json()) as ExecResponse
    expect(second).toMatchObject({ exitCode: 0 })
    expect(second.generation).not.toBe(first.generation)
    // A stale generation: refused before anything runs.
    const stale = await run({ command: 'echo again > again.txt', manifest: true, ifGeneration: first.generation })
    expect(stale.status).toBe(409)
    expect(await stale.json()).toMatchObject({ error: { code: 'WORKDIR_CHANGED' } })
    // A file written through the file API changes the generation too.
    await sandboxd.call(`${other}/file?${new URLSearchParams({ path: 'put.txt' })}`, { method: 'PUT', body: 'p' })
    expect((await run({ command: 'true', ifGeneration: second.generation })).status).toBe(409)
    const names = ((await (await sandboxd.call(`${other}/files`)).json()) as { entries: WorkDirEntry[] }).entries.map((entry) => entry.path)
    expect(names.sort()).toEqual(['put.txt', 'ran.txt'])
  })

  it('answers an exec with the manifest after the run when asked, the same GET /files lists', async () => {
    const other = '/v1/sandboxes/t1/files-manifest'
    const result = await sandboxd.post<ExecResponse>(`${other}/exec`, { command: 'mkdir -p made && printf hi > made/new.txt', manifest: true })
    expect(result.exitCode).toBe(0)
    expect(result.manifest).toEqual([
      { path: 'made', kind: 'directory', size: 0, mtimeMs: expect.any(Number), mode: 0o755 },
      { path: 'made/new.txt', kind: 'file', size: 2, mtimeMs: expect.any(Number), sha256: sha256('hi') },
    ])
    expect(result.manifest).toEqual(((await (await sandboxd.call(`${other}/files`)).json()) as { entries: WorkDirEntry[] }).entries)
    expect((await sandboxd.post<ExecResponse>(`${other}/exec`, { command: 'true' })).manifest).toBeUndefined()
  })

  it('round-trips every byte value, keeps the given mtime, and lists the sha-256', async () => {
    const put = await sandboxd.call(file('data/bytes.bin', { mtimeMs: '1700000000123' }), { method: 'PUT', body: BINARY })
    expect(put.status).toBe(200)
    expect(await put.json()).toEqual({ path: 'data/bytes.bin', size: 256, sha256: sha256(BINARY) })

    const seenInside = await exec({ command: 'od -An -tu1 -N4 data/bytes.bin; stat -c %Y data/bytes.bin' })
    expect(seenInside.stdout).toBe(' 255 254 253 252\n1700000000\n')

    const got = await sandboxd.call(file('data/bytes.bin'))
    expect(got.headers.get('content-length')).toBe('256')
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(BINARY)

    expect(await list()).toEqual([
      { path: 'data', kind: 'directory', size: 0, mtimeMs: expect.any(Number), mode: 0o755 },
      { path: 'data/bytes.bin', kind: 'file', size: 256, mtimeMs: 1700000000123, sha256: sha256(BINARY) },
    ])
  })

  it('hashes what a command wrote, and notices when it changes', async () => {
    await exec({ command: 'printf one > note.txt' })
    expect((await list()).find((e) => e.path === 'note.txt')?.sha256).toBe(sha256('one'))
    await exec({ command: 'printf two > note.txt' })
    expect((await list()).find((e) => e.path === 'note.txt')?.sha256).toBe(sha256('two'))
  })

  it('applies deletions, directories and mtimes in one batch', async () => {
    const response = await sandboxd.post(`${base}/files/batch`, {
      deletes: ['data', 'note.txt'],
      mkdirs: ['a/b/c'],
      mtimes: {},
      modes: { 'a/b': 0o700 },
    })
    expect(response).toEqual({ applied: true })
    await sandboxd.call(file('a/b/c/x.txt'), { method: 'PUT', body: 'x' })
    await sandboxd.post(`${base}/files/batch`, { mtimes: { 'a/b/c/x.txt': 1600000000000 } })
    expect(await list()).toEqual([
      { path: 'a', kind: 'directory', size: 0, mtimeMs: expect.any(Number), mode: 0o755 },
      { path: 'a/b', kind: 'directory', size: 0, mtimeMs: expect.any(Number), mode: 0o700 },
      { path: 'a/b/c', kind: 'directory', size: 0, mtimeMs: expect.any(Number), mode: 0o755 },
      { path: 'a/b/c/x.txt', kind: 'file', size: 1, mtimeMs: 1600000000000, sha256: sha256('x') },
    ])
  })

  it('refuses a file over the size limit with EFBIG and keeps nothing of it', async () => {
    const response = await sandboxd.call(file('big.bin'), { method: 'PUT', body: new Uint8Array(5000) })
    expect(response.status).toBe(413)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('EFBIG')
    expect((await list()).some((e) => e.path === 'big.bin')).toBe(false)
  })

  it("refuses paths with '..' and names a missing cwd", async () => {
    const escape = await sandboxd.call(file('../outside'), { method: 'PUT', body: 'x' })
    expect(escape.status).toBe(400)
    expect(((await escape.json()) as { error: { code: string } }).error.code).toBe('INVALID_ARGUMENT')

    const response = await sandboxd.call(`${base}/exec`, { method: 'POST', body: JSON.stringify({ argv: ['pwd'], cwd: 'nope' }) })
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({
      error: { code: 'ENOENT', message: "cwd 'nope' is not a directory in the work dir: create it first (files batch mkdirs)", details: { cwd: 'nope' } },
    })
  })

  it('runs in a cwd inside the work dir, reading stdin', async () => {
    const result = await exec({ command: 'pwd; tr a-z A-Z', cwd: 'a/b', stdin: 'hello' })
    expect(result.stdout).toBe('/a/b\nHELLO')
  })

  it('refuses files under the reserved system names with RESERVED_PATH, and lists none of their mount points', async () => {
    const put = await sandboxd.call(file('usr/x'), { method: 'PUT', body: 'x' })
    expect(put.status).toBe(400)
    expect(((await put.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'RESERVED_PATH',
      message: "'usr/x' lies under /usr, which the sandbox reserves for its system mounts",
    })
    const batch = await sandboxd.call(`${base}/files/batch`, { method: 'POST', body: JSON.stringify({ mkdirs: ['tmp/x'] }) })
    expect(batch.status).toBe(400)
    expect((await list()).map((entry) => entry.path).filter((path) => /^(usr|tmp|proc|dev|etc|bin|run)\b/.test(path))).toEqual([])
  })

  it('returns non-UTF-8 output exactly, as base64', async () => {
    const result = await exec({ command: "printf '\\377\\000A'" })
    expect(result.stdoutBase64).toBe(Buffer.from([0xff, 0x00, 0x41]).toString('base64'))
  })

  it('reports usage: cpu, peak rss and disk', async () => {
    const usage = (await (await sandboxd.call(`${base}/usage`)).json()) as Record<string, number>
    // od, two printfs, tr, printf: the run refused for its missing cwd never started.
    expect(usage.execs).toBe(5)
    expect((usage.cpuUserMs ?? 0) + (usage.cpuSystemMs ?? 0)).toBeGreaterThan(0)
    expect(usage.maxRssKb).toBeGreaterThan(0)
    expect(usage.files).toBe(4)
    expect(usage.diskBytes).toBeGreaterThan(0)
  })

  it('destroys the sandbox and its work dir', async () => {
    const response = await sandboxd.call(base, { method: 'DELETE' })
    expect(await response.json()).toEqual({ destroyed: true })
    expect(await list()).toEqual([])
  })
})
