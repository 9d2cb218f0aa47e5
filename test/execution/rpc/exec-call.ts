/**
 * Builds an ExecCall the way `execute` does (resolveOptions fills ids, trace
 * and defaults) over a fresh fsx memory root, for calling one tier directly.
 */
import { env } from 'cloudflare:workers'
import type { ExecOptions, FileSystem } from '../../../types/execution'
import type { Env } from '../../../src/env'
import type { ExecCall } from '../../../src/execution/executor'
import { createFileSystem, tenantRoot } from '../../../src/execution/fsx/index'
import { resolveOptions } from '../../../src/execution/index'

export function freshTenant(): string {
  return `t${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
}

export function memoryFs(tenantId: string): FileSystem {
  return createFileSystem('memory', { root: tenantRoot(tenantId) })
}

export interface CallSetup {
  tenantId?: string
  fs?: FileSystem
  bindings?: Env
}

export function execCall(operation: string, args: unknown[], options: ExecOptions = {}, setup: CallSetup = {}): ExecCall {
  const tenantId = setup.tenantId ?? freshTenant()
  return {
    operation,
    args,
    options: resolveOptions(options, tenantId),
    fs: setup.fs ?? memoryFs(tenantId),
    bindings: setup.bindings ?? env,
  }
}
