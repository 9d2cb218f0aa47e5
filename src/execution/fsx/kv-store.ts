/**
 * The KV backend. KV has no delimiter listing, so a directory listing pages
 * through every key below it (1000 per page) and groups them; KV also has no
 * head, so `head` opens the value as a stream and cancels it, reading size
 * and mtime from the key's metadata. Values are capped at 25 MiB by KV and
 * keys at 512 bytes, which makes KV the backend for many small files.
 *
 * In production KV is eventually consistent (a write may take up to 60 s to
 * be seen in other locations, and listings lag); locally it is immediate.
 */
import { z } from 'zod'
import { forEachConcurrently } from './batches'
import { groupChildren, type ChildListing, type ListedObject, type ObjectInfo, type ObjectStore } from './object-store'
import { collectStream, type StreamLimits } from './streams'

export const KV_MAX_VALUE_BYTES = 25 * 1024 * 1024
/** KV deletes one key per call; this many run at once. */
const DELETE_CONCURRENCY = 6

const MetadataSchema = z.object({ size: z.number().int().nonnegative(), mtime: z.number() })
type Metadata = z.infer<typeof MetadataSchema>

export class KvStore implements ObjectStore {
  readonly backend = 'kv' as const
  readonly maxKeyBytes = 512
  readonly maxValueBytes = KV_MAX_VALUE_BYTES

  /** `pageSize` (keys per list page, KV's maximum is 1000) is smaller only to exercise paging in tests. */
  constructor(
    private readonly namespace: KVNamespace,
    private readonly pageSize = 1000,
  ) {}

  async head(key: string): Promise<ObjectInfo | null> {
    const { value, metadata } = await this.namespace.getWithMetadata(key, { type: 'stream' })
    if (!value) return null
    const parsed = MetadataSchema.safeParse(metadata)
    if (parsed.success) {
      await value.cancel()
      return parsed.data
    }
    // Written without fsx metadata: the size has to be counted.
    const bytes = await collectStream(value, { cap: KV_MAX_VALUE_BYTES, reportAs: key })
    return { size: bytes.byteLength, mtime: 0 }
  }

  async get(key: string): Promise<Uint8Array | null> {
    const value = await this.namespace.get(key, { type: 'arrayBuffer' })
    return value ? new Uint8Array(value) : null
  }

  async getStream(key: string): Promise<ReadableStream<Uint8Array> | null> {
    return this.namespace.get(key, { type: 'stream' })
  }

  async put(key: string, body: Uint8Array, mtime: number): Promise<void> {
    const metadata: Metadata = { size: body.byteLength, mtime }
    await this.namespace.put(key, body, { metadata })
  }

  async putStream(key: string, body: ReadableStream<Uint8Array>, limits: StreamLimits, mtime: number): Promise<void> {
    await this.put(key, await collectStream(body, limits), mtime)
  }

  async copy(fromKey: string, toKey: string, mtime?: number): Promise<boolean> {
    const { value, metadata } = await this.namespace.getWithMetadata(fromKey, { type: 'arrayBuffer' })
    if (!value) return false
    const previous = MetadataSchema.safeParse(metadata)
    await this.put(toKey, new Uint8Array(value), mtime ?? (previous.success ? previous.data.mtime : 0))
    return true
  }

  async delete(keys: string[]): Promise<void> {
    await forEachConcurrently(keys, DELETE_CONCURRENCY, (key) => this.namespace.delete(key))
  }

  async listChildren(prefix: string): Promise<ChildListing> {
    return groupChildren(prefix, await this.listKeys(prefix))
  }

  /** The keys under `prefix` as KV lists them (name and metadata), page after page, until `limit` were seen. */
  private async listed(prefix: string, limit = Number.POSITIVE_INFINITY): Promise<Array<KVNamespaceListKey<unknown>>> {
    const keys: Array<KVNamespaceListKey<unknown>> = []
    let cursor: string | undefined
    for (;;) {
      const page = await this.namespace.list({ prefix, limit: Math.min(this.pageSize, limit - keys.length), ...(cursor ? { cursor } : {}) })
      keys.push(...page.keys)
      if (page.list_complete || keys.length >= limit) return keys
      cursor = page.cursor
    }
  }

  async listKeys(prefix: string): Promise<string[]> {
    return (await this.listed(prefix)).map((entry) => entry.name)
  }

  /** Size and mtime come from fsx's key metadata; a key written without it is read for its length (mtime 0), as `head` does. */
  async listObjects(prefix: string, limit?: number): Promise<ListedObject[]> {
    const objects: ListedObject[] = []
    for (const entry of await this.listed(prefix, limit)) {
      const metadata = MetadataSchema.safeParse(entry.metadata)
      const size = metadata.success ? metadata.data.size : ((await this.namespace.get(entry.name, 'arrayBuffer'))?.byteLength ?? 0)
      objects.push({ key: entry.name, size, mtime: metadata.success ? metadata.data.mtime : 0 })
    }
    return objects
  }

  async hasKeysUnder(prefix: string): Promise<boolean> {
    const page = await this.namespace.list({ prefix, limit: 1 })
    return page.keys.length > 0
  }
}
