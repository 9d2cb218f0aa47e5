/**
 * Lowercase hex of bytes, the one way the fabric spells ids, hashes and
 * digests (there were six copies of the per-byte `toString(16).padStart`),
 * from a table of the 256 byte spellings.
 */
const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

export function bytesToHex(bytes: Uint8Array): string {
  let hex = ''
  for (let i = 0; i < bytes.length; i++) hex += BYTE_HEX[bytes[i] as number]
  return hex
}

/** Random hex of `bytes` bytes from the platform CSPRNG. */
export function randomHex(bytes: number): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** Lowercase hex of the `algorithm` digest of `data` (WebCrypto: SHA-256, SHA-1, MD5 …). */
export async function hexDigest(algorithm: string, data: Uint8Array): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.digest(algorithm, data)))
}
