/** Random hex of `bytes` bytes from the platform CSPRNG. */
export function randomHex(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes))
  let hex = ''
  for (const b of buf) hex += b.toString(16).padStart(2, '0')
  return hex
}

/** Identifiers: a short type prefix plus 128 random bits, so ids say what they are. */
export function newId(prefix: string): string {
  return `${prefix}_${randomHex(16)}`
}
