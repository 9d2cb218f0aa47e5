/**
 * What a backend must provide: a flat key → bytes store with prefix listing.
 * The directory semantics (markers, parents, recursion, errors) live once in
 * `directory-tree.ts` on top of this, so memory, R2 and KV behave alike.
 *
 * Keys are the fs root plus the absolute path: a file `/a/b` under root
 * `tenants/dev` is `tenants/dev/a/b`; a directory marker is the same key
 * with a trailing slash, `tenants/dev/a/`.
 */
import type { StreamLimits } from './streams'

export interface ObjectInfo {
  size: number
  /** Milliseconds since the epoch. */
  mtime: number
}

/** An object a listing found, with what `head` would answer of it. */
export interface ListedObject extends ObjectInfo {
  key: string
}

export interface ChildListing {
  /** Names of objects directly under the prefix (files). */
  files: string[]
  /** Names of sub-prefixes directly under it (directories, explicit or implicit). */
  directories: string[]
  /** Whether an object whose key equals the prefix (this directory's marker) exists. */
  hasMarker: boolean
}

export interface ObjectStore {
  readonly backend: 'memory' | 'r2' | 'kv'
  /** Longest key the backend accepts, in UTF-8 bytes. */
  readonly maxKeyBytes: number
  /** Largest value the backend accepts, in bytes. */
  readonly maxValueBytes: number
  head(key: string): Promise<ObjectInfo | null>
  get(key: string): Promise<Uint8Array | null>
  getStream(key: string): Promise<ReadableStream<Uint8Array> | null>
  put(key: string, body: Uint8Array, mtime: number): Promise<void>
  /** Stores a stream within `limits` (see `StreamLimits`). */
  putStream(key: string, body: ReadableStream<Uint8Array>, limits: StreamLimits, mtime: number): Promise<void>
  /** Copies one object; `mtime` undefined keeps the source's. False when the source is gone. */
  copy(fromKey: string, toKey: string, mtime?: number): Promise<boolean>
  delete(keys: string[]): Promise<void>
  listChildren(prefix: string): Promise<ChildListing>
  /** Every key starting with `prefix`, in any order. */
  listKeys(prefix: string): Promise<string[]>
  /**
   * The objects whose key starts with `prefix`, each with its size and mtime, in any order, from the
   * backend's listing (no request per object); at most `limit` of them when given.
   */
  listObjects(prefix: string, limit?: number): Promise<ListedObject[]>
  hasKeysUnder(prefix: string): Promise<boolean>
}

/** Total bytes of every object whose key starts with `prefix`, from one listing (the disk quota's count). */
export async function bytesUnder(store: ObjectStore, prefix: string): Promise<number> {
  return (await store.listObjects(prefix)).reduce((total, object) => total + object.size, 0)
}

/**
 * Groups a flat list of keys under `prefix` into its direct children, for
 * stores that cannot list with a delimiter (memory, KV).
 */
export function groupChildren(prefix: string, keys: Iterable<string>): ChildListing {
  const files = new Set<string>()
  const directories = new Set<string>()
  let hasMarker = false
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue
    const rest = key.slice(prefix.length)
    if (rest === '') {
      hasMarker = true
      continue
    }
    const slash = rest.indexOf('/')
    if (slash === -1) files.add(rest)
    else directories.add(rest.slice(0, slash))
  }
  return { files: [...files], directories: [...directories], hasMarker }
}

export interface KeyTree {
  /** Paths of files relative to the prefix, e.g. `a/b.txt`. */
  files: Set<string>
  /** Paths of directories relative to the prefix, explicit markers and implied parents alike. */
  directories: Set<string>
}

/** Turns every key under `prefix` into the files and directories it stands for. */
export function describeTree(prefix: string, keys: Iterable<string>): KeyTree {
  const files = new Set<string>()
  const directories = new Set<string>()
  for (const key of keys) {
    if (!key.startsWith(prefix) || key === prefix) continue
    const relative = key.slice(prefix.length)
    const isMarker = relative.endsWith('/')
    const name = isMarker ? relative.slice(0, -1) : relative
    if (isMarker) directories.add(name)
    else files.add(name)
    for (let slash = name.indexOf('/'); slash !== -1; slash = name.indexOf('/', slash + 1)) {
      directories.add(name.slice(0, slash))
    }
  }
  return { files, directories }
}
