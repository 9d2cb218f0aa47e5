/**
 * The memory backend: one module-level Map shared by every filesystem created
 * in this isolate, so two `createFileSystem('memory', { root })` calls see the
 * same files. It is per isolate and not durable: another isolate (or the same
 * one after eviction) starts empty. Meant for tests and scratch space.
 */
import { bytesToStream, collectStream, type StreamLimits } from './streams'
import { groupChildren, type ChildListing, type ObjectInfo, type ObjectStore } from './object-store'

interface MemoryObject {
  bytes: Uint8Array
  mtime: number
}

/** The isolate's shared space, behind every `createFileSystem('memory', …)`. */
const sharedObjects = new Map<string, MemoryObject>()

export class MemoryStore implements ObjectStore {
  readonly backend = 'memory' as const
  /** Same as R2, so a path that works in memory also works in production storage. */
  readonly maxKeyBytes = 1024
  readonly maxValueBytes = Number.POSITIVE_INFINITY

  /** A private map gives a scratch store nothing else can see (replay's dry runs). */
  constructor(private readonly objects: Map<string, MemoryObject> = sharedObjects) {}

  async head(key: string): Promise<ObjectInfo | null> {
    const found = this.objects.get(key)
    return found ? { size: found.bytes.byteLength, mtime: found.mtime } : null
  }

  async get(key: string): Promise<Uint8Array | null> {
    const found = this.objects.get(key)
    // A copy, so a caller mutating the array cannot change the stored file.
    return found ? found.bytes.slice() : null
  }

  async getStream(key: string): Promise<ReadableStream<Uint8Array> | null> {
    const bytes = await this.get(key)
    return bytes ? bytesToStream(bytes) : null
  }

  async put(key: string, body: Uint8Array, mtime: number): Promise<void> {
    this.objects.set(key, { bytes: body.slice(), mtime })
  }

  async putStream(key: string, body: ReadableStream<Uint8Array>, limits: StreamLimits, mtime: number): Promise<void> {
    this.objects.set(key, { bytes: await collectStream(body, limits), mtime })
  }

  async copy(fromKey: string, toKey: string, mtime?: number): Promise<boolean> {
    const found = this.objects.get(fromKey)
    if (!found) return false
    // Sharing the array is safe: stored bytes are never mutated, only replaced.
    this.objects.set(toKey, { bytes: found.bytes, mtime: mtime ?? found.mtime })
    return true
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.objects.delete(key)
  }

  async listChildren(prefix: string): Promise<ChildListing> {
    return groupChildren(prefix, this.objects.keys())
  }

  async listKeys(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix))
  }

  async bytesUnder(prefix: string): Promise<number> {
    let total = 0
    for (const [key, object] of this.objects) if (key.startsWith(prefix)) total += object.bytes.byteLength
    return total
  }

  async hasKeysUnder(prefix: string): Promise<boolean> {
    for (const key of this.objects.keys()) if (key.startsWith(prefix)) return true
    return false
  }
}
