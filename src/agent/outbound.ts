/**
 * What leaves the agent's object in batches, driven by its alarm: WAL rows
 * to D1 (the outbox already holds them durably) and usage to the tenant and
 * user ledgers (the lease table already holds it). Batching turns one D1
 * write and one ledger call per state change into one per short interval per
 * agent, which is what lets many agents share one D1 database. A failure
 * leaves the rows where they are and the alarm comes back for them.
 */
import { publishCrossings } from './budget/alerts'
import type { AgentRuntime } from './runtime'

/** How long WAL rows wait in the outbox before a flush takes them, at most. */
export const WAL_FLUSH_DELAY_MS = 50
/** How long usage waits before it is settled with the shared ledgers, at most. */
export const SETTLE_DELAY_MS = 1000
/** How soon a failed delivery is tried again. */
export const REDELIVERY_DELAY_MS = 5000

export class Outbound {
  private walSince: number | undefined
  private usageSince: number | undefined
  private failedAt: number | undefined
  /** After an eviction nothing says whether rows wait, so the first alarm looks for both kinds. */
  private unchecked = true

  walAppended(now: number): void {
    this.walSince ??= now
  }

  usageCharged(now: number): void {
    this.usageSince ??= now
  }

  /** When the alarm should come back for what is waiting. */
  dueAt(now: number): number | undefined {
    const due = [
      this.unchecked ? now + WAL_FLUSH_DELAY_MS : undefined,
      this.walSince !== undefined ? this.walSince + WAL_FLUSH_DELAY_MS : undefined,
      this.usageSince !== undefined ? this.usageSince + SETTLE_DELAY_MS : undefined,
      this.failedAt !== undefined ? this.failedAt + REDELIVERY_DELAY_MS : undefined,
    ].filter((at): at is number => at !== undefined)
    return due.length > 0 ? Math.min(...due) : undefined
  }

  /** Flushes the WAL now (a caller is about to see a task's end and may read its events in D1). */
  async flushWal(rt: AgentRuntime): Promise<void> {
    this.walSince = undefined
    await this.attempt(rt, 'wal flush', () => rt.ports.wal.flush())
  }

  /** Delivers what is due by `now`. */
  async deliver(rt: AgentRuntime, now: number): Promise<void> {
    const everything = this.unchecked || (this.failedAt !== undefined && now >= this.failedAt + REDELIVERY_DELAY_MS)
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
    } catch (error) {
      this.failedAt = rt.clock.now()
      rt.log.warn(`${what} failed; the alarm retries it`, { error: String(error) })
    }
  }
}
