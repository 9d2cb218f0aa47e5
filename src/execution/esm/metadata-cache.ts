/**
 * Module metadata per isolate of the fabric, so routing a call (does this
 * tenant have a module by that name?) rarely costs a D1 query. Absence is
 * cached too, because every unknown operation asks on its way to tier 4.
 *
 * An upload through this isolate invalidates its entry at once; other
 * isolates see a re-upload when their entry expires (TTL_MS), which is the
 * window in which a call may still run the previous version.
 */
import type { ESMModule } from '../../../types/execution'

export const METADATA_TTL_MS = 30_000
const MAX_ENTRIES = 10_000

interface Entry {
  module: ESMModule | null
  expiresAt: number
}

export class ModuleMetadataCache {
  readonly #entries = new Map<string, Entry>()

  #key(tenantId: string, name: string): string {
    return `${tenantId}\u0000${name}`
  }

  /** The cached metadata, null if known absent, undefined if not cached (or expired). */
  get(tenantId: string, name: string): ESMModule | null | undefined {
    const key = this.#key(tenantId, name)
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(key)
      return undefined
    }
    return entry.module
  }

  set(tenantId: string, name: string, module: ESMModule | null): void {
    // A Map iterates in insertion order, so the first key is the oldest entry.
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
    this.#entries.set(this.#key(tenantId, name), { module, expiresAt: Date.now() + METADATA_TTL_MS })
  }

  invalidate(tenantId: string, name: string): void {
    this.#entries.delete(this.#key(tenantId, name))
  }
}

/** The one cache of this isolate. */
export const moduleMetadata = new ModuleMetadataCache()
