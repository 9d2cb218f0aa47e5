import { randomHex } from './hex'

/** Identifiers: a short type prefix plus 128 random bits, so ids say what they are. */
export function newId(prefix: string): string {
  return `${prefix}_${randomHex(16)}`
}
