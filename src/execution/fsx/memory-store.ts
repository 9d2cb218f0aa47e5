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

const objects = new Map<string, MemoryObject>()

export class MemoryStore implements ObjectStore {
  readonly backend = 'memory' as const
  /** Same as R2, so a path that works in memory also works in production storage. */
  readonly maxKeyBytes = 1024
  readonly maxValueBytes = Number.POSITIVE_INFINITY

  async head(key: string): Promise<ObjectInfo | null> {
    const found = objects.get(key)
    return found ? { size: found.bytes.byteLength, mtime: found.mtime } : null
  }

  async get(key: string): Promise<Uint8Array | null> {
    const found = objects.get(key)
    // A copy, so a caller mutating the array cannot change the stored file.
    return found ? found.bytes.slice() : null
  }

  async getStream(key: string): Promise<ReadableStream<Uint8Array> | null> {
    const bytes = await this.get(key)
    return bytes ? bytesToStream(bytes) : null
  }

  async put(key: string, body: Uint8Array, mtime: number): Promise<void> {
    objects.set(key, { bytes: body.slice(), mtime })
  }

  async putStream(key: string, body: ReadableStream<Uint8Array>, limits: StreamLimits, mtime: number): Promise<void> {
    objects.set(key, { bytes: await collectStream(body, limits), mtime })
  }

  async copy(fromKey: string, toKey: string, mtime?: number): Promise<boolean> {
    const found = objects.get(fromKey)
    if (!found) return false
    // Sharing the array is safe: stored bytes are never mutated, only replaced.
    objects.set(toKey, { bytes: found.bytes, mtime: mtime ?? found.mtime })
    return true
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) objects.delete(key)
  }

  async listChildren(prefix: string): Promise<ChildListing> {
    return groupChildren(prefix, objects.keys())
  }

  async listKeys(prefix: string): Promise<string[]> {
    return [...objects.keys()].filter((key) => key.startsWith(prefix))
  }

  async hasKeysUnder(prefix: string): Promise<boolean> {
    for (const key of objects.keys()) if (key.startsWith(prefix)) return true
    return false
  }
}
