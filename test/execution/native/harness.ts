/**
 * Runs tier-1 utilities the way the router does: an ExecCall with resolved
 * options over a real fsx memory filesystem, each test under its own root.
 */
import { env } from 'cloudflare:workers'
import type { ExecResult, FileSystem } from '../../../types/execution'
import type { ExecCall } from '../../../src/execution/executor'
import { createFileSystem } from '../../../src/execution/fsx/index'
import { nativeExecutor } from '../../../src/execution/native/index'

let roots = 0

/** A fresh, empty filesystem (the memory store is shared per isolate, so each gets its own root). */
export function freshFs(): FileSystem {
  roots += 1
  return createFileSystem('memory', { root: `tenants/native-test-${roots}-${crypto.randomUUID().slice(0, 8)}` })
}

export interface RunOptions {
  stdin?: string | Uint8Array
  cwd?: string
  env?: Record<string, string>
  timeoutMs?: number
  signal?: AbortSignal
}

export function nativeCall(fs: FileSystem, operation: string, args: unknown[], options: RunOptions = {}): ExecCall {
  return {
    operation,
    args,
    fs,
    bindings: env,
    options: {
      executionId: 'exe_test',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      tenantId: 'test',
      cwd: options.cwd ?? '/',
      env: options.env ?? {},
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
      ...(options.signal ? { signal: options.signal } : {}),
    },
  }
}

export function runNative(fs: FileSystem, argv: string[], options: RunOptions = {}): Promise<ExecResult> {
  const [operation, ...args] = argv as [string, ...string[]]
  return nativeExecutor.run(nativeCall(fs, operation, args, options))
}

/** Writes files (`dir/` entries become empty directories) under `base`. */
export async function writeFixtures(fs: FileSystem, base: string, files: Record<string, string | Uint8Array>): Promise<void> {
  await fs.mkdir(base, { recursive: true })
  for (const [path, content] of Object.entries(files)) {
    const full = `${base}/${path}`
    if (path.endsWith('/')) await fs.mkdir(full, { recursive: true })
    else {
      await fs.mkdir(full.slice(0, full.lastIndexOf('/')), { recursive: true })
      await fs.write(full, content)
    }
  }
}
