/**
 * tar archives cross between tier 1 and GNU tar on this machine: what tier 1
 * writes (plain and -z) GNU tar lists and extracts to the same bytes, and
 * what GNU tar writes (its default GNU format with a long name, pax, gzip)
 * tier 1 lists and extracts to the same bytes. Archive bytes themselves
 * differ (owners, times), so the contents are what is compared.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ExecCall } from '../../src/execution/executor'
import { createFileSystem } from '../../src/execution/fsx/index'
import { nativeExecutor } from '../../src/execution/native/index'
import { base64ToBytes } from '../../src/execution/native/base64-codec'
// @ts-expect-error -- plain ES module shared with the GNU recorder
import { ENV } from './gnu.mjs'

const LONG = `deep/${'n'.repeat(60)}/${'m'.repeat(70)}.txt`
const FILES: Record<string, string> = { 'top.txt': 'top\n', 'd/inner.txt': 'inner\nlines\n', 'd/e/empty.txt': '', [LONG]: 'long name\n', 'bin.dat': '\u0000\u0001\u00ff' }

const scratch = mkdtempSync(join(tmpdir(), 'tar-interop-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function gnuTree(): string {
  const dir = mkdtempSync(join(scratch, 'gnu-'))
  for (const [path, content] of Object.entries(FILES)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), content, 'latin1')
  }
  // Single-digit month, day, hour and minute: the -tv listing pads each of them.
  const early = new Date(Date.UTC(2001, 1, 3, 4, 5, 6))
  utimesSync(join(dir, 'top.txt'), early, early)
  return dir
}

async function tier1Tree() {
  const fs = createFileSystem('memory', { root: `tenants/tar-interop-${crypto.randomUUID().slice(0, 8)}` })
  await fs.mkdir('/w', { recursive: true })
  for (const [path, content] of Object.entries(FILES)) await fs.write(`/w/${path}`, Buffer.from(content, 'latin1'), { parents: true })
  return fs
}

async function tier1(fs: ReturnType<typeof createFileSystem>, args: string[], stdin?: Uint8Array) {
  const call: ExecCall = {
    operation: 'tar',
    args,
    fs,
    bindings: {} as ExecCall['bindings'],
    options: { executionId: 'e', traceparent: '', traceId: '', tenantId: 't', cwd: '/w', env: {}, timeoutMs: 10_000, ...(stdin ? { stdin } : {}) },
  }
  const result = await nativeExecutor.run(call)
  const bytes = result.stdoutBase64 !== undefined ? (base64ToBytes(result.stdoutBase64) as Uint8Array) : Buffer.from(result.stdout)
  return { result, bytes }
}

const sorted = (text: string) => text.split('\n').filter(Boolean).sort()
const expectedNames = ['bin.dat', 'd/', 'd/e/', 'd/e/empty.txt', 'd/inner.txt', 'deep/', `deep/${'n'.repeat(60)}/`, LONG, 'top.txt'].sort()

describe('tar: tier 1 and GNU tar read each other', () => {
  for (const gzip of [false, true]) {
    it(`GNU tar lists and extracts what tier 1 writes${gzip ? ' with -z' : ''}`, async () => {
      const fs = await tier1Tree()
      const { result, bytes } = await tier1(fs, [gzip ? '-czf' : '-cf', '-', 'top.txt', 'd', 'deep', 'bin.dat'])
      expect(result.exitCode).toBe(0)
      const archive = join(scratch, `ours-${gzip}.tar`)
      writeFileSync(archive, bytes)
      const list = spawnSync('tar', ['-tf', archive], { env: ENV })
      expect(list.status).toBe(0)
      expect(sorted(list.stdout.toString())).toEqual(expectedNames)
      const out = mkdtempSync(join(scratch, 'x-'))
      expect(spawnSync('tar', ['-xf', archive, '-C', out], { env: ENV }).status).toBe(0)
      for (const [path, content] of Object.entries(FILES)) expect(readFileSync(join(out, path)).equals(Buffer.from(content, 'latin1'))).toBe(true)
      const verbose = spawnSync('tar', ['-tvf', archive], { env: ENV }).stdout.toString()
      expect(verbose).toMatch(/^-rw-r--r-- fabric\/fabric +4 \d{4}-\d\d-\d\d \d\d:\d\d top\.txt$/m)
      // Tier 1 lists its own archive as GNU does: the walk's order, the modes, sizes and dates.
      await fs.write('/w/ours.tar', bytes)
      expect((await tier1(fs, ['-tvf', 'ours.tar'])).result.stdout).toBe(verbose)
    })
  }

  for (const format of [['-czf'], ['--format=gnu', '-cf'], ['--format=pax', '-cf'], ['--format=ustar', '-cf']]) {
    it(`tier 1 lists and extracts what GNU tar ${format.join(' ')} writes`, async () => {
      const dir = gnuTree()
      const archive = join(scratch, `gnu-${format.join('')}.tar`)
      expect(spawnSync('tar', [...format, archive, 'top.txt', 'd', 'deep', 'bin.dat'], { cwd: dir, env: ENV }).status).toBe(0)
      const bytes = readFileSync(archive)
      const fs = createFileSystem('memory', { root: `tenants/tar-interop-${crypto.randomUUID().slice(0, 8)}` })
      await fs.mkdir('/w', { recursive: true })
      await fs.write('/w/a.tar', bytes)
      const list = await tier1(fs, ['-tf', 'a.tar'])
      expect(list.result.exitCode).toBe(0)
      expect(sorted(list.result.stdout)).toEqual(expectedNames)
      const gnuVerbose = spawnSync('tar', ['-tvf', archive], { env: ENV }).stdout.toString()
      expect((await tier1(fs, ['-tvf', 'a.tar'])).result.stdout).toBe(gnuVerbose)
      expect((await tier1(fs, ['-xf', 'a.tar'])).result.exitCode).toBe(0)
      for (const [path, content] of Object.entries(FILES)) expect(Buffer.from(await fs.read(`/w/${path}`)).equals(Buffer.from(content, 'latin1'))).toBe(true)
    })
  }
})
