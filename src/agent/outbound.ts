/**
 * What leaves the agent's object in batches, driven by its alarm: WAL rows
 * and the decision audit to D1 (the outbox already holds them durably) and
 * usage to the tenant and user ledgers (the lease table already holds it).
 * Batching turns one D1 write and one ledger call per state change into one
 * per interval per agent, which is what lets many agents share one D1
 * database; no answer waits for D1 (a WAL reader asks the owning agent to
 * flush first: src/orchestration/wal-owners.ts). A failure leaves the rows
 * where they are and the alarm comes back for them, backing off.
 *
 * How far D1 may lag: rows appended at t are in D1 by t + WAL_FLUSH_DELAY_MS
 * plus one flush while D1 answers; after n failed flushes in a row the next
 * try is REDELIVERY_DELAY_MS · 2^(n-1) later, at most MAX_REDELIVERY_DELAY_MS.
 */
import { publishCrossings } from './budget/alerts'
import type { AgentRuntime } from './runtime'

/** How long WAL rows wait in the outbox before a flush takes them, at most: the rows of every task in that time share one D1 batch. */
export const WAL_FLUSH_DELAY_MS = 1000
/**
 * How long usage waits before it is settled with the shared ledgers, at most. Longer than the WAL's
 * delay: the lease already reserved what admitted work may spend, and every new lease carries the
 * unsettled usage, so this only bounds how stale the tenant's and user's reports are — while each
 * settlement is a ledger request (one per agent per interval, on the billable hot path's tally).
 */
export const SETTLE_DELAY_MS = 5000
/** How soon a failed delivery is tried again, the first time. */
export const REDELIVERY_DELAY_MS = 5000
/** The longest wait between tries while deliveries keep failing. */
export const MAX_REDELIVERY_DELAY_MS = 60_000

/** The wait after `failures` failed deliveries in a row (1, 2, …): doubling from REDELIVERY_DELAY_MS, capped. */
export function redeliveryDelayMs(failures: number): number {
  return Math.min(MAX_REDELIVERY_DELAY_MS, REDELIVERY_DELAY_MS * 2 ** Math.max(0, Math.min(failures, 16) - 1))
}

export class Outbound {
  private walSince: number | undefined
  private usageSince: number | undefined
  private failedAt: number | undefined
  /** Failed deliveries since the last one that succeeded. */
  private failures = 0
  /** After an eviction nothing says whether rows wait, so the first alarm looks for both kinds. */
  private unchecked = true

  walAppended(now: number): void {
    this.walSince ??= now
  }

  usageCharged(now: number): void {
    this.usageSince ??= now
  }

  /** When the alarm should come back for what is waiting; while deliveries fail, only at the backoff. */
  dueAt(now: number): number | undefined {
    if (this.failedAt !== undefined) return this.failedAt + redeliveryDelayMs(this.failures)
    const due = [
      this.unchecked ? now + WAL_FLUSH_DELAY_MS : undefined,
      this.walSince !== undefined ? this.walSince + WAL_FLUSH_DELAY_MS : undefined,
      this.usageSince !== undefined ? this.usageSince + SETTLE_DELAY_MS : undefined,
    ].filter((at): at is number => at !== undefined)
    return due.length > 0 ? Math.min(...due) : undefined
  }

  /** Flushes the WAL and the records kept with it now (the alarm, or a reader about to query D1). */
  async flushWal(rt: AgentRuntime): Promise<void> {
    this.walSince = undefined
    await this.attempt(rt, 'wal flush', () => rt.ports.wal.flush())
  }

  /** Delivers what is due by `now`. */
  async deliver(rt: AgentRuntime, now: number): Promise<void> {
    if (this.failedAt !== undefined && now < this.failedAt + redeliveryDelayMs(this.failures)) return
    const everything = this.unchecked || this.failedAt !== undefined
    this.unchecked = false
    if (everything) this.failedAt = undefined
    if (everything || (this.walSince !== undefined && now >= this.walSince + WAL_FLUSH_DELAY_MS)) await this.flushWal(rt)
    const record = rt.agent()
    if (record && (everything || (this.usageSince !== undefined && now >= this.usageSince + SETTLE_DELAY_MS))) {
      this.usageSince = undefined
      await this.attempt(rt, 'budget settlement', async () => publishCrossings(rt, await rt.budget.settle(rt.budgetSubject(record))))
    }
  }

  private async attempt(rt: AgentRuntime, what: string, delivery: () => Promise<unknown>): Promise<void> {
    try {
      await delivery()
      this.failures = 0
    } catch (error) {
      this.failures += 1
      this.failedAt = rt.clock.now()
      rt.log.warn(`${what} failed; the alarm retries it`, { error: String(error) })
    }
  }
}
