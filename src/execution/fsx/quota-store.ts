/**
 * The tenant tree's disk quota (issue 16, finding 2): every write, append,
 * stream and copy through this store is refused with DISK_QUOTA_EXCEEDED
 * when it would take the total bytes under the root over the quota.
 *
 * The total is counted once per filesystem instance (one listing, at its
 * first write: each request and each run gets its own instance), then kept
 * up to date by the writes through it; a delete makes the next write count
 * again. A stream of unknown size is checked once stored and removed again
 * when it went over. Writers in other requests at the same moment are not
 * seen, so concurrent writes can overshoot by what they write at once.
 */
import { FsError } from './errors'
import { bytesUnder, type ChildListing, type ListedObject, type ObjectInfo, type ObjectStore } from './object-store'
import type { StreamLimits } from './streams'

/** Answers the quota in bytes (read when first needed: it lives in the tenant's ceilings). */
export type QuotaSource = () => Promise<number>

export class QuotaStore implements ObjectStore {
  readonly backend: ObjectStore['backend']
  readonly maxKeyBytes: number
  readonly maxValueBytes: number
  private used: number | undefined

  constructor(
    private readonly inner: ObjectStore,
    /** The root's key prefix with its trailing slash, e.g. `tenants/dev/`. */
    private readonly prefix: string,
    private readonly quota: QuotaSource,
  ) {
    this.backend = inner.backend
    this.maxKeyBytes = inner.maxKeyBytes
    this.maxValueBytes = inner.maxValueBytes
  }

  /** Checks that `key` may hold `bytes`; answers the commit that records it once written. */
  private async admit(key: string, bytes: number): Promise<() => void> {
    const limit = await this.quota()
    this.used ??= await bytesUnder(this.inner, this.prefix)
    const replaced = (await this.inner.head(key))?.size ?? 0
    const after = this.used - replaced + bytes
    if (after > limit && bytes > replaced) throw this.refusal(key, after, limit)
    return () => {
      this.used = after
    }
  }

  private refusal(key: string, after: number, limit: number): FsError {
    return new FsError('DISK_QUOTA_EXCEEDED', `/${key.slice(this.prefix.length)}`, {
      hint: `the tenant's files would take ${after} bytes, over its disk quota of ${limit} bytes (ceiling diskMb); delete files, or ask an operator to raise diskMb (PUT /v1/tenants/:id/ceilings)`,
    })
  }

  async put(key: string, body: Uint8Array, mtime: number): Promise<void> {
    const commit = await this.admit(key, body.byteLength)
    await this.inner.put(key, body, mtime)
    commit()
  }

  async putStream(key: string, body: ReadableStream<Uint8Array>, limits: StreamLimits, mtime: number): Promise<void> {
    const commit = await this.admit(key, limits.size ?? 0)
    await this.inner.putStream(key, body, limits, mtime)
    // A declared size is what was written (the store refuses a stream that disagrees): admitted like put.
    if (limits.size !== undefined) return commit()
    this.used = undefined
    // The size is known only now: count again and take the file back out if it went over.
    const limit = await this.quota()
    const total = await bytesUnder(this.inner, this.prefix)
    if (total > limit) {
      await this.inner.delete([key])
      throw this.refusal(key, total, limit)
    }
    this.used = total
  }

  async copy(fromKey: string, toKey: string, mtime?: number): Promise<boolean> {
    const commit = await this.admit(toKey, (await this.inner.head(fromKey))?.size ?? 0)
    const copied = await this.inner.copy(fromKey, toKey, mtime)
    if (copied) commit()
    return copied
  }

  async delete(keys: string[]): Promise<void> {
    this.used = undefined
    await this.inner.delete(keys)
  }

  /** The quota in bytes, for checks made before writing (tier 4's sync-back). */
  quotaBytes(): Promise<number> {
    return this.quota()
  }

  head(key: string): Promise<ObjectInfo | null> {
    return this.inner.head(key)
  }

  get(key: string): Promise<Uint8Array | null> {
    return this.inner.get(key)
  }

  getStream(key: string): Promise<ReadableStream<Uint8Array> | null> {
    return this.inner.getStream(key)
  }

  listChildren(prefix: string): Promise<ChildListing> {
    return this.inner.listChildren(prefix)
  }

  listKeys(prefix: string): Promise<string[]> {
    return this.inner.listKeys(prefix)
  }

  listObjects(prefix: string, limit?: number): Promise<ListedObject[]> {
    return this.inner.listObjects(prefix, limit)
  }

  hasKeysUnder(prefix: string): Promise<boolean> {
    return this.inner.hasKeysUnder(prefix)
  }
}
