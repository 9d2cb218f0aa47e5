/**
 * Retry backoff (seed 000: runtime errors retry with backoff). The delay
 * before attempt n+1, after attempt n failed:
 *   exponential: initialDelayMs * 2^(n-1)
 *   linear:      initialDelayMs * n
 * both capped at maxDelayMs. No jitter: each agent's retries are already
 * spread by its own queue, and a fixed schedule is what callers can reason about.
 */
import type { RetryPolicy } from '../core/retry-policy'

export function backoffDelayMs(policy: RetryPolicy, failedAttempt: number): number {
  const n = Math.max(1, failedAttempt)
  const raw = policy.backoff === 'exponential' ? policy.initialDelayMs * 2 ** (n - 1) : policy.initialDelayMs * n
  return Math.min(policy.maxDelayMs, raw)
}

/** Whether a task that has made `attempts` attempts may make another. */
export function hasAttemptsLeft(policy: RetryPolicy | undefined, attempts: number): boolean {
  return attempts < (policy?.maxAttempts ?? 1)
}
