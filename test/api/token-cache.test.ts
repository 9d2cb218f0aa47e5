/**
 * The isolate's auth cache on a controlled clock: how long a revoked or
 * rotated token may still pass (the bound), what an unknown token costs, and
 * that unknown tokens can neither evict good entries nor grow the cache.
 */
import { describe, expect, it } from 'vitest'
import type { AuthContext } from '../../src/api/app-env'
import { TOKEN_CACHE_TTL_MS, TokenCache } from '../../src/api/auth/token-cache'

/** A stand-in for the D1 table: hash → token, with revocation and a count of lookups. */
function tokenTable() {
  const live = new Map<string, AuthContext>()
  const lookups: string[] = []
  return {
    lookups,
    issue(hash: string, tokenId: string): AuthContext {
      const auth: AuthContext = { tenantId: 't1', scopes: ['agent'], tokenId }
      live.set(hash, auth)
      return auth
    },
    revoke(hash: string) {
      live.delete(hash)
    },
    lookup(hash: string) {
      return async () => {
        lookups.push(hash)
        return live.get(hash)
      }
    },
  }
}

function controlledClock(start = 1_000_000) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

describe('token cache', () => {
  it('serves a known token without a lookup, and stops honouring a revoked one exactly at the bound', async () => {
    const clock = controlledClock()
    const cache = new TokenCache({ now: clock.now })
    const table = tokenTable()
    const auth = table.issue('h1', 'tok_1')
    expect(await cache.resolve('h1', table.lookup('h1'))).toEqual(auth)
    clock.advance(1000)
    expect(await cache.resolve('h1', table.lookup('h1'))).toEqual(auth)
    expect(table.lookups).toEqual(['h1'])

    table.revoke('h1') // committed in D1 by another isolate: this one learns it from its next lookup
    clock.advance(TOKEN_CACHE_TTL_MS - 1000 - 1)
    expect(await cache.resolve('h1', table.lookup('h1'))).toEqual(auth)
    clock.advance(1)
    expect(await cache.resolve('h1', table.lookup('h1'))).toBeUndefined()
    expect(table.lookups).toEqual(['h1', 'h1'])
  })

  it('after a rotation the old token fails within the bound and the new one resolves at once', async () => {
    const clock = controlledClock()
    const cache = new TokenCache({ now: clock.now })
    const table = tokenTable()
    table.issue('old', 'tok_old')
    expect(await cache.resolve('old', table.lookup('old'))).toMatchObject({ tokenId: 'tok_old' })
    table.revoke('old')
    table.issue('new', 'tok_new')
    expect(await cache.resolve('new', table.lookup('new'))).toMatchObject({ tokenId: 'tok_new' })
    clock.advance(TOKEN_CACHE_TTL_MS)
    expect(await cache.resolve('old', table.lookup('old'))).toBeUndefined()
  })

  it('forget drops a token in this isolate at once, also when its lookup is still on its way', async () => {
    const clock = controlledClock()
    const cache = new TokenCache({ now: clock.now })
    const table = tokenTable()
    table.issue('h1', 'tok_1')
    await cache.resolve('h1', table.lookup('h1'))
    cache.forget('tok_1')
    expect(cache.size()).toBe(0)

    let release: (auth: AuthContext) => void = () => {}
    const slow = cache.resolve('h1', () => new Promise<AuthContext>((resolve) => (release = resolve)))
    cache.forget('tok_1') // revoked while the lookup ran: what it found is not kept
    release({ tenantId: 't1', scopes: ['agent'], tokenId: 'tok_1' })
    await slow
    expect(cache.size()).toBe(0)
  })

  it('an unknown token costs one lookup per presentation, shared by concurrent ones, and is never stored', async () => {
    const cache = new TokenCache({ now: controlledClock().now })
    const table = tokenTable()
    const answers = await Promise.all([1, 2, 3].map(() => cache.resolve('nope', table.lookup('nope'))))
    expect(answers).toEqual([undefined, undefined, undefined])
    expect(table.lookups).toEqual(['nope'])
    await cache.resolve('nope', table.lookup('nope'))
    expect(table.lookups).toEqual(['nope', 'nope'])
    expect(cache.size()).toBe(0)
  })

  it('a flood of unknown tokens neither evicts good entries nor grows the cache', async () => {
    const cache = new TokenCache({ now: controlledClock().now, maxEntries: 3 })
    const table = tokenTable()
    for (const hash of ['g1', 'g2', 'g3']) {
      table.issue(hash, `tok_${hash}`)
      await cache.resolve(hash, table.lookup(hash))
    }
    for (let i = 0; i < 1000; i++) await cache.resolve(`bad${i}`, table.lookup(`bad${i}`))
    expect(cache.size()).toBe(3)
    table.lookups.length = 0
    for (const hash of ['g1', 'g2', 'g3']) expect(await cache.resolve(hash, table.lookup(hash))).toMatchObject({ tokenId: `tok_${hash}` })
    expect(table.lookups).toEqual([])
  })

  it('holds at most maxEntries good tokens, dropping the least recently used', async () => {
    const cache = new TokenCache({ now: controlledClock().now, maxEntries: 2 })
    const table = tokenTable()
    for (const hash of ['a', 'b']) {
      table.issue(hash, `tok_${hash}`)
      await cache.resolve(hash, table.lookup(hash))
    }
    await cache.resolve('a', table.lookup('a')) // a is now the most recent
    table.issue('c', 'tok_c')
    await cache.resolve('c', table.lookup('c'))
    expect(cache.size()).toBe(2)
    table.lookups.length = 0
    await cache.resolve('a', table.lookup('a'))
    await cache.resolve('b', table.lookup('b'))
    expect(table.lookups).toEqual(['b'])
  })
})
