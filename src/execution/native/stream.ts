/**
 * Byte streams between the stages of a pipeline. A `BytePipe` is a bounded
 * queue: its writer puts chunks in without blocking (`write`) and then
 * awaits `drain()`, which waits while the pipe holds its high-water mark or
 * more — so a producer never runs further ahead of its consumer than that
 * (backpressure). When the reader closes its end (`head` that has its lines,
 * a stage that ended), every later write or drain throws `BrokenPipe`, the
 * way a process writing to a closed pipe gets SIGPIPE. A `ByteReader` is a
 * stage's stdin over a pipe or over bytes already in memory: chunks, records
 * up to a delimiter (`read`), or everything (`readAll`, capped loudly).
 */
import { concatBytes, decodeUtf8, encodeUtf8 } from './text'

/** How much a pipe holds before its writer waits (Linux's default pipe buffer). */
export const PIPE_HIGH_WATER_BYTES = 64 * 1024

/** The most `readAll` gathers for a utility that needs its whole input at once. */
export const READ_ALL_CAP_BYTES = 16 * 1024 * 1024

/** A write to a pipe whose reader has gone (SIGPIPE). */
export class BrokenPipe extends Error {
  override readonly name = 'BrokenPipe'
  constructor() {
    super('Broken pipe')
  }
}

/** The whole input did not fit under `READ_ALL_CAP_BYTES`: the command would have answered from cut data. */
export class InputTooLarge extends Error {
  override readonly name = 'InputTooLarge'
  constructor(readonly cap: number) {
    super(`standard input passed ${cap} bytes, and this command reads all of it at once`)
  }
}

/** Where command output goes: a write never blocks; `drain` waits until the reader has room. */
export interface ByteSink {
  write(data: string | Uint8Array): void
  drain(): Promise<void>
}

export class BytePipe {
  private readonly chunks: Uint8Array[] = []
  private buffered = 0
  private writerDone = false
  private readerDone = false
  /** A reader waiting for data or a writer waiting for room. */
  private waiters: Array<() => void> = []
  /** The most the pipe ever held at once (bounded-memory tests read it). */
  peak = 0

  constructor(readonly highWater = PIPE_HIGH_WATER_BYTES) {}

  private notify(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const wake of waiters) wake()
  }

  private wait(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve))
  }

  write(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? encodeUtf8(data) : data
    if (this.readerDone) throw new BrokenPipe()
    if (bytes.length === 0) return
    this.chunks.push(bytes)
    this.buffered += bytes.length
    if (this.buffered > this.peak) this.peak = this.buffered
    this.notify()
  }

  /** Resolves once the pipe holds less than its high-water mark; throws BrokenPipe when the reader has gone. */
  async drain(): Promise<void> {
    while (!this.readerDone && this.buffered >= this.highWater) await this.wait()
    if (this.readerDone) throw new BrokenPipe()
  }

  /** The writer is done: the reader gets end of input after what is buffered. */
  close(): void {
    this.writerDone = true
    this.notify()
  }

  /** The reader is done: buffered bytes are dropped and the writer's next write fails. */
  cancel(): void {
    this.readerDone = true
    this.chunks.length = 0
    this.buffered = 0
    this.notify()
  }

  /** The next chunk, or undefined at end of input. */
  async read(): Promise<Uint8Array | undefined> {
    while (this.chunks.length === 0 && !this.writerDone && !this.readerDone) await this.wait()
    const chunk = this.chunks.shift()
    if (chunk) {
      this.buffered -= chunk.length
      this.notify()
    }
    return chunk
  }

  /** The writing end, as a sink. */
  writer(): ByteSink {
    return { write: (data) => this.write(data), drain: () => this.drain() }
  }
}

type ChunkSource = { read(): Promise<Uint8Array | undefined>; cancel(): void }

function fixedSource(bytes: Uint8Array): ChunkSource {
  let done = bytes.length === 0
  return {
    read: async () => {
      if (done) return undefined
      done = true
      return bytes
    },
    cancel: () => (done = true),
  }
}

/** A stage's stdin: bytes already in memory or the reading end of a pipe. */
export class ByteReader {
  private pending: Uint8Array = new Uint8Array(0)
  private ended = false
  /** How many reads were made (a stage that read nothing can still be re-run elsewhere). */
  reads = 0

  constructor(private readonly source: ChunkSource) {}

  static of(bytes: Uint8Array = new Uint8Array(0)): ByteReader {
    return new ByteReader(fixedSource(bytes))
  }

  static fromPipe(pipe: BytePipe): ByteReader {
    return new ByteReader(pipe)
  }

  /** The next chunk of input, or undefined at its end. */
  async read(): Promise<Uint8Array | undefined> {
    this.reads++
    if (this.pending.length > 0) {
      const chunk = this.pending
      this.pending = new Uint8Array(0)
      return chunk
    }
    if (this.ended) return undefined
    const chunk = await this.source.read()
    if (chunk === undefined) this.ended = true
    return chunk
  }

  /** The next record up to `delimiter` (a byte), without it; undefined at end of input; `complete` false when the input ended first. */
  async readRecord(delimiter: number): Promise<{ text: string; complete: boolean } | undefined> {
    const parts: Uint8Array[] = []
    for (;;) {
      const chunk = await this.read()
      if (chunk === undefined) return parts.length === 0 ? undefined : { text: decodeUtf8(concatBytes(parts)), complete: false }
      const end = chunk.indexOf(delimiter)
      if (end === -1) {
        parts.push(chunk)
        continue
      }
      parts.push(chunk.subarray(0, end))
      this.pending = chunk.subarray(end + 1)
      return { text: decodeUtf8(concatBytes(parts)), complete: true }
    }
  }

  /** Everything left, for commands that need all of it; past `cap` bytes it throws InputTooLarge rather than cut. */
  async readAll(cap = READ_ALL_CAP_BYTES): Promise<Uint8Array> {
    const parts: Uint8Array[] = []
    let size = 0
    for (let chunk = await this.read(); chunk !== undefined; chunk = await this.read()) {
      size += chunk.length
      if (size > cap) {
        this.cancel()
        throw new InputTooLarge(cap)
      }
      parts.push(chunk)
    }
    return parts.length === 1 && parts[0] ? parts[0] : concatBytes(parts)
  }

  /** The reader stops reading: a pipe's writer gets BrokenPipe from then on. */
  cancel(): void {
    this.ended = true
    this.pending = new Uint8Array(0)
    this.source.cancel()
  }
}
