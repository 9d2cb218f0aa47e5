/**
 * RFC 4648 base64 over bytes, written out because `btoa` works on Latin-1
 * strings (and needs chunking for large inputs). Decoding is strict: it
 * returns undefined for anything but the alphabet and correct padding, so
 * callers decide how to report bad input.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const VALUES = new Map([...ALPHABET].map((char, index) => [char, index]))

export function bytesToBase64(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = (bytes[i] as number) << 16
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}==`
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8)
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}${ALPHABET[(n >> 6) & 63]}=`
  }
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
