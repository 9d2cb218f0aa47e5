/**
 * The memory backend: one module-level Map shared by every filesystem created
 * in this isolate, so two `createFileSystem('memory', { root })` calls see the
 * same files. It is per isolate and not durable: another isolate (or the same
 * one after eviction) starts empty. Meant for tests and scratch space.
 */
import { bytesToStream, collectStream, type StreamLimits } from './streams'
import { groupChildren, type ChildListing, type ListedObject, type ObjectInfo, type ObjectStore } from './object-store'

interface MemoryObject {
  bytes: Uint8Array
  mtime: number
}

/**
 * The objects by key, and their keys in code-unit order, so that a listing
 * reads only the keys under its prefix (binary search to the first one).
 * Scanning every key instead made each listing as slow as the whole isolate's
 * files: a test suite sharing one isolate slowed down with every test.
 */
class MemorySpace {
  readonly objects = new Map<string, MemoryObject>()
  private readonly sorted: string[] = []

  set(key: string, object: MemoryObject): void {
    if (!this.objects.has(key)) this.sorted.splice(this.lowerBound(key), 0, key)
    this.objects.set(key, object)
  }

  delete(key: string): void {
    if (!this.objects.delete(key)) return
    this.sorted.splice(this.lowerBound(key), 1)
  }

  /** The keys that start with `prefix`, in order. */
  *under(prefix: string): Generator<string> {
    for (let i = this.lowerBound(prefix); i < this.sorted.length; i++) {
      const key = this.sorted[i] ?? ''
      if (!key.startsWith(prefix)) return
      yield key
    }
  }

  /** The index of the first key not below `key`. */
  private lowerBound(key: string): number {
    let low = 0
    let high = this.sorted.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((this.sorted[middle] ?? '') < key) low = middle + 1
      else high = middle
    }
    return low
  }
}

/** The isolate's shared space, behind every `createFileSystem('memory', …)`. */
const sharedSpace = new MemorySpace()

export class MemoryStore implements ObjectStore {
  readonly backend = 'memory' as const
  /** Same as R2, so a path that works in memory also works in production storage. */
  readonly maxKeyBytes = 1024
  readonly maxValueBytes = Number.POSITIVE_INFINITY

  /** A private space gives a scratch store nothing else can see (replay's dry runs). */
  constructor(private readonly space: MemorySpace = sharedSpace) {}

  /** A store over a space of its own, empty. */
  static scratch(): MemoryStore {
    return new MemoryStore(new MemorySpace())
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const found = this.space.objects.get(key)
    return found ? { size: found.bytes.byteLength, mtime: found.mtime } : null
  }

  async get(key: string): Promise<Uint8Array | null> {
    const found = this.space.objects.get(key)
    // A copy, so a caller mutating the array cannot change the stored file.
    return found ? found.bytes.slice() : null
  }

  async getStream(key: string): Promise<ReadableStream<Uint8Array> | null> {
    const bytes = await this.get(key)
    return bytes ? bytesToStream(bytes) : null
  }

  async put(key: string, body: Uint8Array, mtime: number): Promise<void> {
    this.space.set(key, { bytes: body.slice(), mtime })
  }

  async putStream(key: string, body: ReadableStream<Uint8Array>, limits: StreamLimits, mtime: number): Promise<void> {
    this.space.set(key, { bytes: await collectStream(body, limits), mtime })
  }

  async copy(fromKey: string, toKey: string, mtime?: number): Promise<boolean> {
    const found = this.space.objects.get(fromKey)
    if (!found) return false
    // Sharing the array is safe: stored bytes are never mutated, only replaced.
    this.space.set(toKey, { bytes: found.bytes, mtime: mtime ?? found.mtime })
    return true
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.space.delete(key)
  }

  async listChildren(prefix: string): Promise<ChildListing> {
    return groupChildren(prefix, this.space.under(prefix))
  }

  async listKeys(prefix: string): Promise<string[]> {
    return [...this.space.under(prefix)]
  }

  async listObjects(prefix: string, limit = Number.POSITIVE_INFINITY): Promise<ListedObject[]> {
    const objects: ListedObject[] = []
    for (const key of this.space.under(prefix)) {
      if (objects.length >= limit) break
      const found = this.space.objects.get(key)
      if (found) objects.push({ key, size: found.bytes.byteLength, mtime: found.mtime })
    }
    return objects
  }

  async hasKeysUnder(prefix: string): Promise<boolean> {
    return !this.space.under(prefix).next().done
  }
}
