/**
 * What can go wrong between the fabric and a tier-2 service: the binding is
 * missing, the service throws, the deadline passes, the caller cancels. Each
 * becomes an ExecResult with its registry code; the retriable ones fall back
 * through the router to the next tier that can run the operation.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ExecResult } from '../../../types/execution'
import type { TierExecutor } from '../../../src/execution/executor'
import { rpcExecutor } from '../../../src/execution/rpc/index'
import { routeAndRun, type TierTable } from '../../../src/execution/tiers'
import { execCall } from './exec-call'

const withoutJq = { ...env, SVC_JQ: undefined }

/** A tier-4 stand-in that records what reached it: the router's fallback target. */
function recordingTier4(seen: string[]): TierExecutor {
  return {
    tier: 4,
    handles: async () => true,
    isAvailable: async () => true,
    run: async (call): Promise<ExecResult> => {
      seen.push(`${call.operation} ${call.args.join(' ')}`)
      return { ok: true, tier: 4, operation: call.operation, exitCode: 0, stdout: 'from tier 4\n', stderr: '', duration: 0, executionId: call.options.executionId, traceId: call.options.traceId }
    },
  }
}

function tiers(tier4: TierExecutor): TierTable {
  const none = (tier: 1 | 3): TierExecutor => ({ tier, handles: async () => false, isAvailable: async () => false, run: tier4.run })
  return { 1: none(1), 2: rpcExecutor, 3: none(3), 4: tier4 }
}

describe('tier-2 transport failures', () => {
  it('answers TIER_UNAVAILABLE (retriable) when the service binding is missing', async () => {
    const result = await rpcExecutor.run(execCall('jq', ['.'], { stdin: '{}' }, { bindings: withoutJq }))
    expect(result).toMatchObject({ ok: false, tier: 2 })
    expect(result.error).toMatchObject({ code: 'TIER_UNAVAILABLE', retriable: true })
    expect(result.error?.message).toContain('SVC_JQ')
  })

  it('is available while any service binding exists, and not without them', async () => {
    expect(await rpcExecutor.isAvailable(env)).toBe(true)
    expect(await rpcExecutor.isAvailable({ ...env, SVC_JQ: undefined, SVC_CONVERT: undefined })).toBe(false)
  })

  it('turns an exception in the service into retriable RPC_ERROR with the remote message', async () => {
    // The jq service refuses a variable name jq could not bind; the CLI parser passes it through.
    const result = await rpcExecutor.run(execCall('jq', ['-n', '--arg', 'not a name', 'v', '$x']))
    expect(result).toMatchObject({ ok: false, tier: 2 })
    expect(result.error).toMatchObject({ code: 'RPC_ERROR', retriable: true })
    expect(result.error?.message).toMatch(/^SVC_JQ\.query failed: jq\.query: invalid request: options\.args\.not a name: /)
  })

  it('stops waiting when the deadline passes: TIMEOUT, exit status 124', async () => {
    const stalled = { ...env, SVC_JQ: env.STALLED_SERVICE }
    const result = await rpcExecutor.run(execCall('jq', ['.'], { stdin: '{}', timeoutMs: 50 }, { bindings: stalled }))
    expect(result).toMatchObject({ ok: false, exitCode: 124 })
    expect(result.error).toMatchObject({ code: 'TIMEOUT', retriable: true })
  })

  it('stops at once for a caller that already cancelled: CANCELLED, exit status 130', async () => {
    const result = await rpcExecutor.run(execCall('jq', ['.'], { stdin: '{}', signal: AbortSignal.abort() }))
    expect(result).toMatchObject({ ok: false, exitCode: 130 })
    expect(result.error).toMatchObject({ code: 'CANCELLED', retriable: false })
  })

  it('refuses arguments that are not argv strings', async () => {
    const result = await rpcExecutor.run(execCall('jq', ['.', 3]))
    expect(result.error).toMatchObject({ code: 'INVALID_ARGUMENT', retriable: false })
    expect(result.error?.message).toBe('args[1]: every argument must be a string (argv has no other type)')
  })

  it('is detected for jq and convert, and the router falls back to tier 4 on a retriable failure', async () => {
    expect(await rpcExecutor.handles('jq', env)).toBe(true)
    expect(await rpcExecutor.handles('convert', env)).toBe(true)
    expect(await rpcExecutor.handles('cat', env)).toBe(false)

    const seen: string[] = []
    const table = tiers(recordingTier4(seen))
    const ran = await routeAndRun(execCall('jq', ['.a'], { stdin: '{"a":1}' }), table)
    expect(ran).toMatchObject({ ok: true, tier: 2, stdout: '1\n' })
    expect(seen).toEqual([])

    const fellBack = await routeAndRun(execCall('jq', ['.a'], { stdin: '{"a":1}' }, { bindings: withoutJq }), table)
    expect(fellBack).toMatchObject({ ok: true, tier: 4, stdout: 'from tier 4\n', fallbackFrom: [2] })
    expect(seen).toEqual(['jq .a'])
  })

  it('keeps the failure that sent it on when the next tier is not there (no sandbox configured)', async () => {
    const absentTier4: TierExecutor = { ...recordingTier4([]), isAvailable: async () => false }
    const result = await routeAndRun(execCall('jq', ['.a'], { stdin: '{"a":1}' }, { bindings: withoutJq }), tiers(absentTier4))
    expect(result).toMatchObject({ ok: false, tier: 2 })
    expect(result.error).toMatchObject({ code: 'TIER_UNAVAILABLE', message: expect.stringMatching(/^the service binding SVC_JQ is not configured, so tier 2 cannot run 'jq'.* \(tier 4 could take it over but is not available here\)$/) })
    expect(result.fallbackFrom).toBeUndefined()
  })

  it('does not fall back when the command itself failed (a bad filter is the caller\'s to fix)', async () => {
    const seen: string[] = []
    const result = await routeAndRun(execCall('jq', ['.a |||'], { stdin: '{}' }), tiers(recordingTier4(seen)))
    expect(result).toMatchObject({ ok: false, tier: 2, exitCode: 3 })
    expect(seen).toEqual([])
  })
})
