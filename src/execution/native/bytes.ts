/**
 * A growable byte buffer for utilities that emit raw bytes from escapes
 * (`echo -e '\303\251'`, `printf '\x41'`), where going through a JS string
 * would re-encode the bytes.
 */
import { encodeUtf8 } from './text'

export class ByteBuilder {
  private buffer = new Uint8Array(64)
  private length = 0

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra))
    grown.set(this.buffer.subarray(0, this.length))
    this.buffer = grown
  }

  byte(value: number): void {
    this.ensure(1)
    this.buffer[this.length++] = value & 0xff
  }

  append(bytes: Uint8Array): void {
    this.ensure(bytes.length)
    this.buffer.set(bytes, this.length)
    this.length += bytes.length
  }

  text(text: string): void {
    this.append(encodeUtf8(text))
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length)
  }
}
