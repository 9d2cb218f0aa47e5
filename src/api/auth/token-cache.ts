/**
 * Resolved tokens, cached in the isolate so authentication does not read D1
 * on every request (D1 lives in one region; the edge does not).
 *
 * - Keyed by the token's SHA-256, never its value.
 * - Bound: an entry is trusted for TOKEN_CACHE_TTL_MS after the lookup that
 *   made it STARTED, then looked up again. A revocation or rotation committed
 *   in D1 therefore takes effect in every isolate within that bound; in the
 *   isolate that served the revocation it takes effect at once (`forget`).
 * - Only tokens D1 knows are cached. An unknown token costs one lookup each
 *   time it is presented (concurrent presentations share it, the others
 *   waiting for its answer in their own requests: src/core/own-request-wait.ts)
 *   and is never
 *   stored, so a flood of unknown tokens can neither evict a good entry nor
 *   grow memory; good entries are capped at `maxEntries`, least recently
 *   used first out.
 */
import type { AuthContext } from '../app-env'
import { SharedCalls, type Timers } from '../../core/own-request-wait'

/** How long a revoked or rotated token may still be honoured by an isolate that cached it. */
export const TOKEN_CACHE_TTL_MS = 5_000
const MAX_ENTRIES = 10_000

interface Entry {
  auth: AuthContext
  checkedAt: number
}

export interface TokenCacheOptions {
  now: () => number
  /** How a request waits for another's lookup of the same token (real timers, or a test's). */
  timers?: Timers
  ttlMs?: number
  maxEntries?: number
}

export class TokenCache {
  private readonly entries = new Map<string, Entry>()
  /** Bumped by `forget`, so a lookup that started before it does not store what it found. */
  private generation = 0
  private readonly ttlMs: number
  private readonly maxEntries: number

  /** One lookup per token at a time: a request that finds one running waits for its answer. */
  private readonly lookups: SharedCalls<AuthContext | undefined>

  constructor(private readonly options: TokenCacheOptions) {
    this.lookups = new SharedCalls(options.timers)
    this.ttlMs = options.ttlMs ?? TOKEN_CACHE_TTL_MS
    this.maxEntries = options.maxEntries ?? MAX_ENTRIES
  }

  /** The token's tenant and scopes, from the cache or from `lookup` (D1) when missing or older than the bound. */
  async resolve(hash: string, lookup: () => Promise<AuthContext | undefined>): Promise<AuthContext | undefined> {
    const startedAt = this.options.now()
    const entry = this.entries.get(hash)
    if (entry) {
      this.entries.delete(hash)
      if (startedAt - entry.checkedAt < this.ttlMs) {
        this.entries.set(hash, entry) // most recently used goes last
        return entry.auth
      }
    }
    const generation = this.generation
    const auth = await this.lookups.once(hash, lookup)
    if (auth && generation === this.generation) this.remember(hash, { auth, checkedAt: startedAt })
    return auth
  }

  /** Drops every entry of this token id at once (revocation, rotation); the hook other isolates cannot see. */
  forget(tokenId: string): void {
    this.generation++
    for (const [hash, entry] of this.entries) if (entry.auth.tokenId === tokenId) this.entries.delete(hash)
  }

  size(): number {
    return this.entries.size
  }

  private remember(hash: string, entry: Entry): void {
    this.entries.delete(hash)
    this.entries.set(hash, entry)
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value
      if (oldest === undefined) break
      this.entries.delete(oldest)
    }
  }
}
