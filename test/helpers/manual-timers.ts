/**
 * Timers a test moves by hand (src/core/own-request-wait.ts `Timers`), so a
 * wait is stepped deterministically without faking the isolate's global
 * timers, which the Durable Objects sharing the test isolate use too.
 */
import type { Timers } from '../../src/core/own-request-wait'

/** Lets every promise reaction queued so far run (one real turn of the event loop). */
const drain = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

export class ManualTimers implements Timers {
  private current = 0
  private queue: Array<{ at: number; callback: () => void }> = []

  now(): number {
    return this.current
  }

  after(ms: number, callback: () => void): void {
    this.queue.push({ at: this.current + Math.max(0, ms), callback })
  }

  /** Timers not fired yet. */
  pending(): number {
    return this.queue.length
  }

  /** Moves the clock `ms` forward, firing each timer due on the way at its time, in order, with what it causes. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms
    await drain()
    for (;;) {
      const due = this.queue.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0]
      if (!due) break
      this.queue.splice(this.queue.indexOf(due), 1)
      this.current = due.at
      due.callback()
      await drain()
    }
    this.current = target
    await drain()
  }
}
