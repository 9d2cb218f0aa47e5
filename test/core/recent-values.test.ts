import { describe, expect, it } from 'vitest'
import { RecentValues } from '../../src/core/recent-values'

describe('RecentValues', () => {
  it('keeps the latest values up to its capacity, dropping the least recently used first', () => {
    const recent = new RecentValues<number>(3)
    recent.set('a', 1)
    recent.set('b', 2)
    recent.set('c', 3)
    // Reading `a` makes it the newest, so `b` is now the oldest.
    expect(recent.get('a')).toBe(1)
    recent.set('d', 4)
    expect(recent.get('b')).toBeUndefined()
    expect([recent.get('a'), recent.get('c'), recent.get('d')]).toEqual([1, 3, 4])
  })

  it('replaces a key in place without counting it twice', () => {
    const recent = new RecentValues<string>(2)
    recent.set('a', 'one')
    recent.set('a', 'two')
    recent.set('b', 'three')
    expect([recent.get('a'), recent.get('b')]).toEqual(['two', 'three'])
  })

  it('remembers what make() answered and asks again only after the key left', () => {
    const recent = new RecentValues<{ n: number }>(1)
    let made = 0
    const make = () => ({ n: ++made })
    const first = recent.remember('x', make)
    expect(recent.remember('x', make)).toBe(first)
    expect(made).toBe(1)
    recent.remember('y', make)
    expect(recent.remember('x', make)).toEqual({ n: 3 })
    recent.delete('x')
    expect(recent.get('x')).toBeUndefined()
  })

  it('forgets every value on clear, and keeps its capacity after', () => {
    const recent = new RecentValues<number>(2)
    recent.set('a', 1)
    recent.set('b', 2)
    recent.clear()
    expect([recent.get('a'), recent.get('b')]).toEqual([undefined, undefined])
    recent.set('c', 3)
    recent.set('d', 4)
    recent.set('e', 5)
    expect([recent.get('c'), recent.get('d'), recent.get('e')]).toEqual([undefined, 4, 5])
  })
})
