/**
 * Bytes ↔ text for the utilities. Line-oriented utilities (sort, uniq, grep,
 * sed, cut, tr) work on UTF-8 text; invalid byte sequences decode to U+FFFD,
 * which is the one place tier 1 is not byte-transparent (see docs/native.md).
 * Byte-oriented ones (cat, head, tail, wc -c, base64, the digests) never decode.
 */
export { concatBytes } from '../fsx/streams'

// ignoreBOM keeps a leading U+FEFF in the text: a utility must not drop bytes of its input.
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const encoder = new TextEncoder()

export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes)
}

/** The text if `bytes` is valid UTF-8, otherwise undefined. */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes)
  } catch {
    return undefined
  }
}

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text)
}

/**
 * Splits text into lines without their terminators. A final line without a
 * newline is still a line; `endsWithNewline` says whether the text ended with one.
 */
export function splitLines(text: string): { lines: string[]; endsWithNewline: boolean } {
  if (text === '') return { lines: [], endsWithNewline: false }
  const lines = text.split('\n')
  const endsWithNewline = text.endsWith('\n')
  if (endsWithNewline) lines.pop()
  return { lines, endsWithNewline }
}

/** Lines of `bytes` as views that keep their trailing `\n` (the last may lack it). */
export function splitByteLines(bytes: Uint8Array, separator = 0x0a): Uint8Array[] {
  const lines: Uint8Array[] = []
  let start = 0
  for (let i = 0; i < bytes.byteLength; i++) {
    if (bytes[i] === separator) {
      lines.push(bytes.subarray(start, i + 1))
      start = i + 1
    }
  }
  if (start < bytes.byteLength) lines.push(bytes.subarray(start))
  return lines
}
