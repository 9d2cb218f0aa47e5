/**
 * Whether tier 4 can run right now: sandboxd answers its health check within
 * a short timeout. The answer is cached briefly per URL so routing does not
 * pay a round trip on every call, and a run sandboxd just answered counts as
 * a passed check (so a busy sandbox is never pinged between its runs); a
 * Cloudflare sandbox binding counts as available (its containers start on demand).
 */
import type { Env } from '../../env'
import { selectSandboxClient } from './select-client'

export const PING_TIMEOUT_MS = 500
export const AVAILABILITY_TTL_MS = 2_000

const cache = new Map<string, { available: boolean; checkedAt: number }>()

export async function isSandboxAvailable(bindings: Env, now: () => number = Date.now): Promise<boolean> {
  const selected = selectSandboxClient(bindings)
  if (!selected.ok) return false
  if (selected.client.backend === 'cloudflare') return true
  const key = bindings.SANDBOX_URL ?? ''
  const cached = cache.get(key)
  if (cached && now() - cached.checkedAt < AVAILABILITY_TTL_MS) return cached.available
  const available = await selected.client.ping(PING_TIMEOUT_MS).then(
    () => true,
    () => false,
  )
  cache.set(key, { available, checkedAt: now() })
  return available
}

/** sandboxd answered a request just now: it is up, and the next check within the TTL needs no ping. */
export function noteSandboxAnswered(bindings: Env, now: () => number = Date.now): void {
  if (bindings.SANDBOX || !bindings.SANDBOX_URL) return
  cache.set(bindings.SANDBOX_URL, { available: true, checkedAt: now() })
}
