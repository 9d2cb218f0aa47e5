/**
 * Byte sinks for a utility's stdout and stderr. Strings are written as UTF-8;
 * bytes pass through untouched, so binary output (base64 -d, cat of a binary
 * file) survives. A sink refuses to grow past its cap: the write that would
 * cross it throws `OutputLimitExceeded`, which stops runaway producers such
 * as `seq 1 1000000000` and becomes an OUTPUT_TRUNCATED result.
 */
import type { ByteSink } from './stream'
import { concatBytes, encodeUtf8 } from './text'

/** Default cap per stream; a Worker holds the whole result in memory. */
export const DEFAULT_OUTPUT_CAP_BYTES = 16 * 1024 * 1024

export class OutputLimitExceeded extends Error {
  override readonly name = 'OutputLimitExceeded'
  constructor(readonly cap: number) {
    super(`output exceeded ${cap} bytes`)
  }
}

export class OutputSink implements ByteSink {
  private readonly chunks: Uint8Array[] = []
  private size = 0

  constructor(private readonly cap: number = DEFAULT_OUTPUT_CAP_BYTES) {}

  write(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? encodeUtf8(data) : data
    if (bytes.byteLength === 0) return
    if (this.size + bytes.byteLength > this.cap) {
      // Keep what fits, so the truncated result still shows the start.
      this.chunks.push(bytes.slice(0, this.cap - this.size))
      this.size = this.cap
      throw new OutputLimitExceeded(this.cap)
    }
    this.chunks.push(bytes)
    this.size += bytes.byteLength
  }

  /** A buffer has no reader to wait for. */
  async drain(): Promise<void> {}

  bytes(): Uint8Array {
    return this.chunks.length === 1 && this.chunks[0] ? this.chunks[0] : concatBytes(this.chunks)
  }
}
