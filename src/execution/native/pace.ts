/**
 * Keeps a long synchronous utility interruptible. In a Worker the clock, the
 * deadline's timer and the caller's abort only move between macrotasks, so a
 * loop that never awaits cannot see them: `throwIfAborted()` in such a loop
 * never fires. A Pacer is fed a growing measure of work done (lines read,
 * regex steps run) and, every `every` units, yields one macrotask and then
 * checks the signal — so a utility stops within one slice of work of its
 * `timeoutMs`, and other requests on the isolate get their turn meanwhile.
 */

/** About 5–10 ms of regex matching or line processing per slice. */
export const WORK_PER_SLICE = 500_000

export class Pacer {
  private next: number

  constructor(
    private readonly signal: AbortSignal,
    private readonly every = WORK_PER_SLICE,
  ) {
    this.next = every
  }

  /** Whether `work` (a running total) has reached the next slice; cheap enough to call per line. */
  due(work: number): boolean {
    return work >= this.next
  }

  /** Yields to the event loop, then throws if the deadline or the caller stopped the call. */
  async pause(work: number): Promise<void> {
    this.next = work + this.every
    await new Promise<void>((resolve) => setTimeout(resolve, 0))
    this.signal.throwIfAborted()
  }

  /** `due` and `pause` in one, for loops that already await per step. */
  async tick(work: number): Promise<void> {
    if (this.due(work)) await this.pause(work)
  }
}
