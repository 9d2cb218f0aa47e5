import { hexDigest } from './hex'

/** Lowercase hex sha-256: token hashes, saga ids from idempotency keys, module code addresses. */
export function sha256Hex(input: string | Uint8Array): Promise<string> {
  return hexDigest('SHA-256', typeof input === 'string' ? new TextEncoder().encode(input) : input)
}
