/** An ExecCall as the factory builds it, over a memory fsx of tenant t1. */
import { env } from 'cloudflare:workers'
import type { ExecOptions, FileSystem } from '../../../types/execution'
import type { Env } from '../../../src/env'
import type { ExecCall } from '../../../src/execution/executor'
import { createFileSystem, tenantRoot } from '../../../src/execution/fsx/index'
import { resolveOptions } from '../../../src/execution/index'

export function memoryFs(): FileSystem {
  return createFileSystem('memory', { root: tenantRoot('t1') })
}

export function callFor(
  operation: string,
  args: unknown[],
  options: ExecOptions = {},
  bindings: Partial<Env> = {},
  fs: FileSystem = memoryFs(),
): ExecCall {
  return { operation, args, options: resolveOptions(options, 't1'), fs, bindings: { ...env, ...bindings } as Env }
}
