/**
 * RFC 4648 base64 over bytes, for every tier (the base64 utility, stdout that
 * is not UTF-8, stdin and files sent to a sandbox). Encoding goes through the
 * platform's `btoa` a chunk at a time: btoa takes a Latin-1 string, and one
 * `String.fromCharCode(...bytes)` over a large input would overflow the stack.
 * Decoding is written out and strict: it returns undefined for anything but
 * the alphabet and correct padding, so callers decide how to report bad input.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const VALUES = new Map([...ALPHABET].map((char, index) => [char, index]))
/** A multiple of 3, so chunks encode without padding between them. */
const CHUNK_BYTES = 0x8000 - (0x8000 % 3)

export function bytesToBase64(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) out += btoa(String.fromCharCode(...bytes.subarray(i, i + CHUNK_BYTES)))
  return out
}

/** Decodes padded base64 without whitespace; undefined when the text is not valid base64. */
export function base64ToBytes(padded: string): Uint8Array | undefined {
  if (padded.length % 4 !== 0) return undefined
  const padding = padded.endsWith('==') ? 2 : padded.endsWith('=') ? 1 : 0
  const out = new Uint8Array((padded.length / 4) * 3 - padding)
  let o = 0
  for (let i = 0; i < padded.length; i += 4) {
    let n = 0
    for (let j = 0; j < 4; j++) {
      const char = padded[i + j] as string
      const isPadding = char === '=' && i + 4 === padded.length && j >= 4 - padding
      const value = isPadding ? 0 : VALUES.get(char)
      if (value === undefined) return undefined
      n = (n << 6) | value
    }
    if (o < out.length) out[o++] = (n >> 16) & 255
    if (o < out.length) out[o++] = (n >> 8) & 255
    if (o < out.length) out[o++] = n & 255
  }
  return out
}
