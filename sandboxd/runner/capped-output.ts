/**
 * Collects a process's output up to a cap. Output past the cap is still read
 * (so the writer never blocks on a full pipe) but dropped, and the stream is
 * reported as truncated.
 */
export class CappedOutput {
  private readonly maxBytes: number
  private readonly chunks: Buffer[] = []
  private kept = 0
  private seen = 0

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes
  }

  /** Returns the part of `chunk` that was kept (empty once the cap is reached). */
  push(chunk: Buffer): Buffer {
    this.seen += chunk.length
    const room = this.maxBytes - this.kept
    if (room <= 0) return chunk.subarray(0, 0)
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room)
    this.chunks.push(part)
    this.kept += part.length
    return part
  }

  get truncated(): boolean {
    return this.seen > this.kept
  }

  /** Bytes the process wrote, including the dropped ones. */
  get totalBytes(): number {
    return this.seen
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.kept)
  }
}

/**
 * UTF-8 text of the bytes, and the exact bytes as base64 when they are not
 * valid UTF-8. Output cut at the cap may end inside a character; that
 * incomplete tail is dropped rather than taken as a sign of binary output.
 */
export function decodeOutput(bytes: Buffer, truncated: boolean): { text: string; base64?: string } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated }) }
  } catch {
    return { text: bytes.toString('utf8'), base64: bytes.toString('base64') }
  }
}
