/**
 * Where a command's bytes come from and go to. stdin is a `ByteReader`
 * (native/stream.ts): bytes in memory (the line's stdin, a here-document, a
 * file) or the reading end of a pipe; `read` takes records from it and a
 * utility reads what it needs. Sinks take output: the line's own stdout and
 * stderr, a pipe to the next stage, a file (flushed to fsx when the
 * redirection ends), or nothing. Every sink that holds bytes has a cap; a
 * write past it throws SinkFull, and the line fails with OUTPUT_TRUNCATED —
 * never silently short data. Pipes between stages are not capped: they
 * hold at most their high-water mark and make their writer wait.
 */
import type { FileSystem } from '../../../types/execution'
import type { ByteReader, ByteSink } from '../native/stream'
import { concatBytes, decodeUtf8, encodeUtf8 } from '../native/text'

export const OUTPUT_CAP_BYTES = 16 * 1024 * 1024

export class SinkFull extends Error {
  override readonly name = 'SinkFull'
  constructor(
    readonly cap: number,
    readonly what: string,
  ) {
    super(`${what} exceeded ${cap} bytes`)
  }
}

/** A write to a closed descriptor (`>&-`). */
export class BadDescriptor extends Error {
  override readonly name = 'BadDescriptor'
}

export type Sink = ByteSink

export class BufferSink implements Sink {
  private readonly chunks: Uint8Array[] = []
  size = 0

  constructor(
    private readonly cap: number,
    private readonly what: string,
  ) {}

  write(data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? encodeUtf8(data) : data
    if (bytes.length === 0) return
    if (this.size + bytes.length > this.cap) {
      this.chunks.push(bytes.subarray(0, this.cap - this.size))
      this.size = this.cap
      throw new SinkFull(this.cap, this.what)
    }
    this.chunks.push(bytes)
    this.size += bytes.length
  }

  /** A buffer has no reader to wait for. */
  async drain(): Promise<void> {}

  bytes(): Uint8Array {
    return concatBytes(this.chunks)
  }

  text(): string {
    return decodeUtf8(this.bytes())
  }
}

export class NullSink implements Sink {
  write(): void {}
  async drain(): Promise<void> {}
}

export class ClosedSink implements Sink {
  write(data: Uint8Array | string): void {
    if (data.length > 0) throw new BadDescriptor('Bad file descriptor')
  }

  async drain(): Promise<void> {}
}

/** Output redirected to a file: collected, then appended to the file when the redirection ends. */
export class FileSink extends BufferSink {
  constructor(readonly path: string) {
    super(OUTPUT_CAP_BYTES * 4, `the file ${path}`)
  }

  async flush(fs: FileSystem): Promise<void> {
    if (this.size > 0) await fs.append(this.path, this.bytes())
  }
}

export interface IO {
  stdin: ByteReader
  stdout: Sink
  stderr: Sink
}
