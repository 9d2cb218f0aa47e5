/**
 * Where a command's bytes come from and go to. `Input` is a byte buffer with
 * a read position (`read` takes lines from it; external commands see what
 * is left). Sinks collect output: the line's own stdout and stderr, a pipe
 * to the next stage, a file (flushed to fsx when the redirection ends), or
 * nothing. Every sink that holds bytes has a cap; a write past it throws
 * SinkFull, which the pipeline turns into a stage that stopped (SIGPIPE-like)
 * or a line that fails with OUTPUT_TRUNCATED — never silently short data.
 */
import type { FileSystem } from '../../../types/execution'
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

export class Input {
  private position = 0
  /** Set once `read` takes records from this input: commands in its loop then leave the rest to it. */
  sharedWithRead = false

  constructor(private readonly bytes: Uint8Array = new Uint8Array(0)) {}

  rest(): Uint8Array {
    return this.position === 0 ? this.bytes : this.bytes.subarray(this.position)
  }

  get exhausted(): boolean {
    return this.position >= this.bytes.length
  }

  /** The next record up to `delimiter` (a byte), without it; undefined at end of input; `complete` false when the input ended first. */
  readRecord(delimiter: number): { text: string; complete: boolean } | undefined {
    this.sharedWithRead = true
    if (this.exhausted) return undefined
    const end = this.bytes.indexOf(delimiter, this.position)
    const stop = end === -1 ? this.bytes.length : end
    const text = decodeUtf8(this.bytes.subarray(this.position, stop))
    this.position = end === -1 ? this.bytes.length : end + 1
    return { text, complete: end !== -1 }
  }

  /** What a command that reads its stdin gets: the rest, consumed unless a `read` loop shares the input. */
  take(): Uint8Array {
    return this.sharedWithRead ? this.rest() : this.readAll()
  }

  readAll(): Uint8Array {
    const rest = this.rest()
    this.position = this.bytes.length
    return rest
  }
}

export interface Sink {
  write(data: Uint8Array | string): void
}

export class BufferSink implements Sink {
  private readonly chunks: Uint8Array[] = []
  size = 0
  full = false
  private newlines = 0

  constructor(
    private readonly cap: number,
    private readonly what: string,
    /** The reader needs no more than this many lines or bytes: past it, the writer is stopped like a closed pipe. */
    private readonly enough?: { lines?: number; bytes?: number },
  ) {}

  write(data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? encodeUtf8(data) : data
    if (bytes.length === 0) return
    if (this.full) throw new SinkFull(this.cap, this.what)
    if (this.enough) this.stopWhenEnough(bytes)
    if (this.size + bytes.length > this.cap) {
      this.chunks.push(bytes.subarray(0, this.cap - this.size))
      this.size = this.cap
      this.full = true
      throw new SinkFull(this.cap, this.what)
    }
    this.chunks.push(bytes)
    this.size += bytes.length
  }

  private stopWhenEnough(bytes: Uint8Array): void {
    for (const byte of bytes) if (byte === 10) this.newlines++
    const { lines, bytes: byteCount } = this.enough ?? {}
    if ((lines !== undefined && this.newlines >= lines) || (byteCount !== undefined && this.size + bytes.length >= byteCount)) {
      this.chunks.push(bytes)
      this.size += bytes.length
      this.full = true
      throw new SinkFull(this.cap, this.what)
    }
  }

  bytes(): Uint8Array {
    return concatBytes(this.chunks)
  }

  text(): string {
    return decodeUtf8(this.bytes())
  }
}

export class NullSink implements Sink {
  write(): void {}
}

export class ClosedSink implements Sink {
  write(data: Uint8Array | string): void {
    if (data.length > 0) throw new BadDescriptor('Bad file descriptor')
  }
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
  stdin: Input
  stdout: Sink
  stderr: Sink
}
