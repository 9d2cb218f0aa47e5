/**
 * fsx: one `FileSystem` over memory, R2 or KV, confined to a root prefix.
 *
 *   const fs = createFileSystem('r2', { root: tenantRoot('dev'), bindings: { FILES: env.FILES } })
 *   await fs.write('/notes/a.txt', 'hello', { parents: true })
 *
 * Every method throws `FsError` (see `isFsError`) with a registry code.
 */
import { z } from 'zod'
import type { FileSystem } from '../../../types/execution'
import { DEFAULT_MAX_FILE_BYTES, DirectoryTree } from './directory-tree'
import { FsError } from './errors'
import { KvStore } from './kv-store'
import { MemoryStore } from './memory-store'
import type { ObjectStore } from './object-store'
import { R2Store } from './r2-store'
import { QuotaStore, type QuotaSource } from './quota-store'
import { parseRoot } from './tenant-root'

export { FsError, isFsError, type FsErrorCode } from './errors'
export { compileGlob } from './glob'
export { resolvePath } from './paths'
export { tenantRoot } from './tenant-root'
export { DEFAULT_MAX_FILE_BYTES } from './directory-tree'

export type FileSystemBackend = FileSystem['backend']

export interface FileSystemOptions {
  /** Storage prefix this filesystem is confined to, e.g. `tenants/dev` (see `tenantRoot`). */
  root: string
  bindings?: { FILES?: R2Bucket; KV?: KVNamespace }
  /** Largest file accepted by write/append (EFBIG above it); default 100 MiB. */
  maxFileBytes?: number
  /** The disk quota of everything under `root`, in bytes (quota-store.ts); none when absent. */
  quotaBytes?: QuotaSource
}

const BackendSchema = z.enum(['memory', 'r2', 'kv'])
const MaxFileBytesSchema = z.number().int().positive().optional()

function storeFor(backend: FileSystemBackend, bindings: FileSystemOptions['bindings']): ObjectStore {
  switch (backend) {
    case 'memory':
      return new MemoryStore()
    case 'r2':
      if (!bindings?.FILES) throw missingBinding('r2', 'FILES', 'R2Bucket')
      return new R2Store(bindings.FILES)
    case 'kv':
      if (!bindings?.KV) throw missingBinding('kv', 'KV', 'KVNamespace')
      return new KvStore(bindings.KV)
  }
}

function missingBinding(backend: string, binding: string, type: string): FsError {
  return new FsError('EINVAL', backend, { hint: `the ${backend} backend needs bindings.${binding} (an ${type}); pass env.${binding}` })
}

export function createFileSystem(backend: FileSystemBackend, options: FileSystemOptions): FileSystem {
  const parsedBackend = BackendSchema.safeParse(backend)
  if (!parsedBackend.success) {
    throw new FsError('EINVAL', String(backend), { hint: "the backend must be 'memory', 'r2' or 'kv'" })
  }
  const maxFileBytes = MaxFileBytesSchema.safeParse(options.maxFileBytes)
  if (!maxFileBytes.success) {
    throw new FsError('EINVAL', String(options.maxFileBytes), { hint: 'maxFileBytes must be a positive integer' })
  }
  const root = parseRoot(options.root)
  const backendStore = storeFor(parsedBackend.data, options.bindings)
  const store = options.quotaBytes ? new QuotaStore(backendStore, `${root}/`, options.quotaBytes) : backendStore
  return new DirectoryTree(store, root, maxFileBytes.data ?? DEFAULT_MAX_FILE_BYTES)
}

/**
 * A memory filesystem of its own: nothing else in the isolate sees its files,
 * and they go when it is dropped. Replay's dry runs use it so that replaying
 * never writes where a tenant (or another replay) can read.
 */
export function createScratchFileSystem(root: string): FileSystem {
  return new DirectoryTree(new MemoryStore(new Map()), parseRoot(root), DEFAULT_MAX_FILE_BYTES)
}
