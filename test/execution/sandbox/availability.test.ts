/**
 * Tier 4's availability check: sandboxd's health is pinged at most once per
 * TTL per URL, and a run sandboxd just answered counts as a passed check.
 * The URL here has nothing listening, so every real ping fails.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Env } from '../../../src/env'
import { AVAILABILITY_TTL_MS, isSandboxAvailable, noteSandboxAnswered } from '../../../src/execution/sandbox/availability'

const bindings = (url: string): Env => ({ ...(env as Env), SANDBOX_URL: url, SANDBOXD_SECRET: 'a-test-secret-of-16+-chars' })

describe('isSandboxAvailable', () => {
  it('a run sandboxd answered stands in for the health check until the TTL runs out', async () => {
    const down = bindings(`http://127.0.0.1:1/availability-${crypto.randomUUID()}`)
    let clock = 1_000_000
    const now = () => clock
    expect(await isSandboxAvailable(down, now)).toBe(false)
    noteSandboxAnswered(down, now)
    clock += AVAILABILITY_TTL_MS - 1
    expect(await isSandboxAvailable(down, now)).toBe(true)
    // Past the TTL the health check runs again, and nothing listens there.
    clock += 2
    expect(await isSandboxAvailable(down, now)).toBe(false)
  })
})
