/**
 * The R2 backend. Objects are streamed both ways, never buffered whole:
 * reads return the object body; a write of known length goes through a
 * `FixedLengthStream` (R2 needs the length up front); a write of unknown
 * length is uploaded as a multipart upload one part at a time, so at most one
 * part (5 MiB) is held in memory whatever the file size. Buffering such a
 * stream up to `maxFileBytes` (100 MiB by default) could alone exceed a
 * Worker's 128 MB memory.
 *
 * mtime lives in custom metadata so a rename can keep it (R2's own
 * `uploaded` cannot be set); objects written by other tools fall back to it.
 */
import { chunk } from './batches'
import type { ChildListing, ListedObject, ObjectInfo, ObjectStore } from './object-store'
import { sizeMismatch, tooLarge, type StreamLimits } from './streams'

/** R2's minimum part size; every part but the last must have the same size. */
export const MULTIPART_PART_BYTES = 5 * 1024 * 1024
/** R2 list pages and batch deletes take at most 1000 keys. */
const MAX_PAGE = 1000

function info(object: R2Object): ObjectInfo {
  const mtime = Number(object.customMetadata?.mtime)
  return { size: object.size, mtime: Number.isFinite(mtime) ? mtime : object.uploaded.getTime() }
}

function metadata(mtime: number): R2PutOptions {
  return { customMetadata: { mtime: String(mtime) } }
}

/**
 * Passes a stream on to a `FixedLengthStream` only if it is exactly `size`
 * bytes long. R2 completes a put as soon as it has `size` bytes, so an
 * over-long stream would be stored truncated; holding back the latest chunk
 * until the next one (or the end) arrives means R2 never sees its last byte
 * from a stream that turns out too long or too short.
 */
function exactLength(size: number, reportAs: string): TransformStream<Uint8Array, Uint8Array> {
  let total = 0
  let held: Uint8Array | undefined
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      total += chunk.byteLength
      if (total > size) throw sizeMismatch(reportAs, size, total)
      if (held) controller.enqueue(held)
      held = chunk
    },
    flush(controller) {
      if (total !== size) throw sizeMismatch(reportAs, size, total)
      if (held) controller.enqueue(held)
    },
  })
}

export class R2Store implements ObjectStore {
  readonly backend = 'r2' as const
  readonly maxKeyBytes = 1024
  readonly maxValueBytes = Number.POSITIVE_INFINITY

  /** `pageSize` (keys per list page and per batch delete) is smaller only to exercise paging in tests. */
  constructor(
    private readonly bucket: R2Bucket,
    private readonly pageSize = MAX_PAGE,
  ) {}

  async head(key: string): Promise<ObjectInfo | null> {
    const object = await this.bucket.head(key)
    return object ? info(object) : null
  }

  async get(key: string): Promise<Uint8Array | null> {
    const object = await this.bucket.get(key)
    return object ? new Uint8Array(await object.arrayBuffer()) : null
  }

  async getStream(key: string): Promise<ReadableStream<Uint8Array> | null> {
    const object = await this.bucket.get(key)
    return object ? object.body : null
  }

  async put(key: string, body: Uint8Array, mtime: number): Promise<void> {
    await this.bucket.put(key, body, metadata(mtime))
  }

  async putStream(key: string, body: ReadableStream<Uint8Array>, limits: StreamLimits, mtime: number): Promise<void> {
    if (limits.size === undefined) return this.putUnknownLength(key, body, limits, mtime)
    await this.putFixedLength(key, body, limits.size, limits.reportAs, metadata(mtime))
  }

  private async putFixedLength(
    key: string,
    body: ReadableStream<Uint8Array>,
    size: number,
    reportAs: string,
    options: R2PutOptions,
  ): Promise<void> {
    const fixed = new FixedLengthStream(size)
    const guard = exactLength(size, reportAs)
    const piping = body.pipeThrough(guard).pipeTo(fixed.writable)
    const [stored, piped] = await Promise.allSettled([this.bucket.put(key, fixed.readable, options), piping])
    // The pipe's error says why (e.g. a length mismatch); R2's then only says the body ended early.
    if (piped.status === 'rejected') throw piped.reason
    if (stored.status === 'rejected') throw stored.reason
  }

  /** Fills one part-sized buffer at a time; a stream shorter than a part becomes a single put. */
  private async putUnknownLength(
    key: string,
    body: ReadableStream<Uint8Array>,
    limits: StreamLimits,
    mtime: number,
  ): Promise<void> {
    const reader = body.getReader()
    let part = new Uint8Array(MULTIPART_PART_BYTES)
    let filled = 0
    let total = 0
    let upload: R2MultipartUpload | undefined
    const uploaded: R2UploadedPart[] = []
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        total += value.byteLength
        if (total > limits.cap) throw tooLarge(limits.reportAs, limits.cap)
        for (let offset = 0; offset < value.byteLength; ) {
          const take = Math.min(value.byteLength - offset, MULTIPART_PART_BYTES - filled)
          part.set(value.subarray(offset, offset + take), filled)
          filled += take
          offset += take
          if (filled < MULTIPART_PART_BYTES) continue
          upload ??= await this.bucket.createMultipartUpload(key, metadata(mtime))
          uploaded.push(await upload.uploadPart(uploaded.length + 1, part))
          part = new Uint8Array(MULTIPART_PART_BYTES)
          filled = 0
        }
      }
      if (!upload) return await this.put(key, part.subarray(0, filled), mtime)
      if (filled > 0) uploaded.push(await upload.uploadPart(uploaded.length + 1, part.subarray(0, filled)))
      await upload.complete(uploaded)
    } catch (error) {
      // Best-effort cleanup; the error that stopped the upload is the one to report.
      await reader.cancel('fsx: write failed').catch(() => undefined)
      await upload?.abort().catch(() => undefined)
      throw error
    }
  }

  async copy(fromKey: string, toKey: string, mtime?: number): Promise<boolean> {
    const object = await this.bucket.get(fromKey)
    if (!object) return false
    const options = metadata(mtime ?? info(object).mtime)
    await this.putFixedLength(toKey, object.body, object.size, toKey, options)
    return true
  }

  async delete(keys: string[]): Promise<void> {
    for (const batch of chunk(keys, this.pageSize)) await this.bucket.delete(batch)
  }

  async listChildren(prefix: string): Promise<ChildListing> {
    const listing: ChildListing = { files: [], directories: [], hasMarker: false }
    let cursor: string | undefined
    do {
      const page = await this.bucket.list({ prefix, delimiter: '/', limit: this.pageSize, ...(cursor ? { cursor } : {}) })
      for (const object of page.objects) {
        if (object.key === prefix) listing.hasMarker = true
        else listing.files.push(object.key.slice(prefix.length))
      }
      for (const sub of page.delimitedPrefixes) listing.directories.push(sub.slice(prefix.length, -1))
      cursor = page.truncated ? page.cursor : undefined
    } while (cursor)
    return listing
  }

  async listKeys(prefix: string): Promise<string[]> {
    return (await this.listObjects(prefix)).map((object) => object.key)
  }

  /** Pages of up to `pageSize` with their custom metadata (the mtime), so no object needs a `head`. */
  async listObjects(prefix: string, limit = Number.POSITIVE_INFINITY): Promise<ListedObject[]> {
    const objects: ListedObject[] = []
    let cursor: string | undefined
    do {
      const page = await this.bucket.list({
        prefix,
        include: ['customMetadata'],
        limit: Math.min(this.pageSize, limit - objects.length),
        ...(cursor ? { cursor } : {}),
      })
      for (const object of page.objects) objects.push({ key: object.key, ...info(object) })
      cursor = page.truncated && objects.length < limit ? page.cursor : undefined
    } while (cursor)
    return objects
  }

  async hasKeysUnder(prefix: string): Promise<boolean> {
    const page = await this.bucket.list({ prefix, limit: 1 })
    return page.objects.length > 0
  }
}
