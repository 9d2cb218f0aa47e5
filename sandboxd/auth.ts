/**
 * Every request carries `Authorization: Bearer <SANDBOXD_SECRET>`. Both sides
 * are hashed before the constant-time compare, so neither the secret's length
 * nor its prefix leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto'

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

export function createAuthenticator(secret: string): (authorization: string | undefined) => boolean {
  const expected = digest(secret)
  return (authorization) => {
    const match = /^Bearer (.+)$/.exec(authorization ?? '')
    if (!match?.[1]) return false
    return timingSafeEqual(digest(match[1]), expected)
  }
}
