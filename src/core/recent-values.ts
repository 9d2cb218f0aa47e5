/**
 * A bounded memo by key, for what an isolate keeps to skip work it did lately (parsed command lines and
 * task columns, compiled policy sets, sandboxes' work dirs, an agent's task rows): a value read or written becomes the newest,
 * and past `capacity` the least recently used one leaves. A miss only costs the work again, so nothing
 * here needs to be exact beyond never answering a value stored under another key.
 */
export class RecentValues<V> {
  // Maps iterate in insertion order: re-inserting on use keeps the least recently used first.
  private readonly values = new Map<string, V>()

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.values.get(key)
    if (value !== undefined) this.set(key, value)
    return value
  }

  set(key: string, value: V): void {
    this.values.delete(key)
    this.values.set(key, value)
    if (this.values.size <= this.capacity) return
    const oldest = this.values.keys().next()
    if (!oldest.done) this.values.delete(oldest.value)
  }

  delete(key: string): void {
    this.values.delete(key)
  }

  clear(): void {
    this.values.clear()
  }

  /** The value kept under `key`, or `make()`'s, kept. */
  remember(key: string, make: () => V): V {
    const known = this.get(key)
    if (known !== undefined) return known
    const value = make()
    this.set(key, value)
    return value
  }
}
