/** Stream helpers shared by the backends that must hold a whole value in memory. */
import { FsError } from './errors'

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0
  for (const part of parts) total += part.byteLength
  const out = new Uint8Array(total)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}

export interface StreamLimits {
  /** The exact length the writer declared, if any: EINVAL when the stream disagrees. */
  size?: number
  /** The most the stream may produce: EFBIG beyond it. */
  cap: number
  /** The path as the caller gave it, for error messages. */
  reportAs: string
}

/**
 * Reads a stream to the end, refusing (EFBIG, stream cancelled) as soon as it
 * produces more than `cap` bytes, so an endless stream cannot exhaust memory.
 */
export async function collectStream(stream: ReadableStream<Uint8Array>, limits: StreamLimits): Promise<Uint8Array> {
  const reader = stream.getReader()
  const parts: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limits.cap) {
      await reader.cancel('fsx: file too large')
      throw tooLarge(limits.reportAs, limits.cap)
    }
    parts.push(value)
  }
  if (limits.size !== undefined && total !== limits.size) throw sizeMismatch(limits.reportAs, limits.size, total)
  return concatBytes(parts)
}

export function sizeMismatch(reportAs: string, declared: number, actual: number): FsError {
  return new FsError('EINVAL', reportAs, { hint: `the stream was declared as ${declared} bytes but produced ${actual}` })
}

export function tooLarge(reportAs: string, cap: number): FsError {
  return new FsError('EFBIG', reportAs, { hint: `files on this filesystem may be at most ${cap} bytes` })
}

export function bytesToStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes)
      controller.close()
    },
  })
}
