/**
 * Runs a differential case on tier 1 the way the router would: the native
 * executor over a fresh fsx memory filesystem holding the same fixtures,
 * cwd /work, the stages chained as a pipeline. A stage tier 1 does not
 * implement (NOT_SUPPORTED, which the router sends to tier 4) ends the case
 * with `fallback` set.
 */
import { createHash } from 'node:crypto'
import type { FileSystem } from '../../types/execution'
import type { ExecCall } from '../../src/execution/executor'
import { createFileSystem } from '../../src/execution/fsx/index'
import { nativeExecutor } from '../../src/execution/native/index'
import { base64ToBytes, bytesToBase64 } from '../../src/execution/native/base64-codec'
import { decodeUtf8, encodeUtf8 } from '../../src/execution/native/text'
// @ts-expect-error -- plain ES modules shared with the GNU recorder
import { FIXTURES } from './fixtures.mjs'
// @ts-expect-error -- plain ES modules shared with the GNU recorder
import { ENV, INITIAL_SNAPSHOT, snapshotLines } from './gnu.mjs'

export interface DifferentialCase {
  id: number
  family: string
  stages: string[][]
  stdin?: string
  fixed?: { stdout: string; exitCode: number }
}

export interface Outcome {
  stdout?: string
  stdoutBase64?: string
  exitCode: number
  files?: string
  fallback?: string
}

let roots = 0

// workerd's WebCrypto digests MD5 (md5sum relies on it); Node's does not, so the harness gives Node the same.
const subtleDigest = crypto.subtle.digest.bind(crypto.subtle)
crypto.subtle.digest = async (...[algorithm, data]: Parameters<SubtleCrypto['digest']>): Promise<ArrayBuffer> => {
  if (algorithm !== 'MD5') return subtleDigest(algorithm, data)
  const view = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data)
  const digest = createHash('md5').update(view).digest()
  return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength)
}

async function materialise(fs: FileSystem): Promise<void> {
  await fs.mkdir('/work', { recursive: true })
  for (const [path, content] of Object.entries(FIXTURES as Record<string, string | Uint8Array>)) {
    const full = `/work/${path}`
    if (path.endsWith('/')) await fs.mkdir(full.slice(0, -1), { recursive: true })
    else {
      await fs.mkdir(full.slice(0, full.lastIndexOf('/')), { recursive: true })
      await fs.write(full, content)
    }
  }
}

async function walk(fs: FileSystem, dir: string, base = ''): Promise<Array<[string, Uint8Array | undefined]>> {
  const out: Array<[string, Uint8Array | undefined]> = []
  for (const entry of await fs.readdir(dir)) {
    const path = base ? `${base}/${entry.name}` : entry.name
    if (entry.type === 'directory') out.push([path, undefined], ...(await walk(fs, `${dir}/${entry.name}`, path)))
    else out.push([path, await fs.read(`${dir}/${entry.name}`)])
  }
  return out
}

function call(fs: FileSystem, [operation, ...args]: string[], stdin: Uint8Array): ExecCall {
  return {
    operation: operation as string,
    args,
    fs,
    bindings: {} as ExecCall['bindings'],
    options: { executionId: 'exe_diff', traceparent: '', traceId: '', tenantId: 'diff', cwd: '/work', env: ENV, timeoutMs: 10_000, stdin },
  }
}

/** Utilities that can change files; a case without one shares a single read-only fixture tree. */
const WRITERS = new Set(['mkdir', 'rm', 'rmdir', 'cp', 'mv', 'touch', 'truncate', 'tee', 'sort', 'sed', 'mktemp', 'find', 'uniq', 'gzip', 'gunzip', 'split', 'tar'])

async function freshTree(): Promise<FileSystem> {
  roots += 1
  const fs = createFileSystem('memory', { root: `tenants/differential-${roots}-${crypto.randomUUID().slice(0, 8)}` })
  await materialise(fs)
  return fs
}

let shared: Promise<FileSystem> | undefined

export async function runTier1(testCase: DifferentialCase): Promise<Outcome> {
  const writes = testCase.stages.some(([command]) => WRITERS.has(command as string))
  const fs = writes ? await freshTree() : await (shared ??= freshTree())
  let input = encodeUtf8(testCase.stdin ?? '')
  let status = 0
  for (const stage of testCase.stages) {
    const result = await nativeExecutor.run(call(fs, stage, input))
    if (result.error?.code === 'NOT_SUPPORTED') return { exitCode: -1, fallback: `${stage[0]}: ${result.error.message}` }
    input = result.stdoutBase64 !== undefined ? (base64ToBytes(result.stdoutBase64) ?? new Uint8Array(0)) : encodeUtf8(result.stdout)
    status = result.exitCode ?? 0
  }
  const files = writes ? (snapshotLines(await walk(fs, '/work')) as string) : INITIAL_SNAPSHOT
  const text = decodeUtf8(input)
  const utf8 = encodeUtf8(text).byteLength === input.byteLength && encodeUtf8(text).every((byte, i) => byte === input[i])
  return {
    ...(utf8 ? { stdout: text } : { stdoutBase64: bytesToBase64(input) }),
    exitCode: status,
    ...(files === INITIAL_SNAPSHOT ? {} : { files }),
  }
}
