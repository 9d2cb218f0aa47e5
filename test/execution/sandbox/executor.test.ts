/**
 * The tier-4 executor's own decisions: how a call becomes a sandbox request,
 * and that a missing or unreachable sandboxd is TIER_UNAVAILABLE (a result,
 * never a throw).
 */
import { describe, expect, it } from 'vitest'
import { buildSandboxRequest, sandboxExecutor, workDirPath } from '../../../src/execution/sandbox/executor'
import { agentResourceUsage, createAgentSandbox, destroyAgentSandbox } from '../../../src/execution/sandbox/isolation-manager'
import { routeAndRun, type TierTable } from '../../../src/execution/tiers'
import { DEFAULT_TIERS } from '../../../src/execution/tier-table'
import { callFor } from './helpers'

/** Nothing listens here: a sandboxd that is down. */
const DOWN = { SANDBOX_URL: 'http://127.0.0.1:65531', SANDBOXD_SECRET: 'a-secret-of-16-chars-or-more' }

describe('buildSandboxRequest', () => {
  it('runs an operation as an argv, with the caller’s env, stdin and timeout', () => {
    const request = buildSandboxRequest(callFor('python3', ['-c', 'print(1)', 7, true], { env: { A: 'b' }, stdin: 'in', timeoutMs: 1234 }))
    expect(request).toEqual({
      argv: ['python3', '-c', 'print(1)', '7', 'true'],
      cwd: '',
      env: { A: 'b' },
      timeoutMs: 1234,
      stdin: new TextEncoder().encode('in'),
    })
  })

  it("runs operation 'sh' with one argument as a shell line, and with more as plain sh", () => {
    expect(buildSandboxRequest(callFor('sh', ['tr a-z A-Z < in.txt > out.txt'])).command).toBe('tr a-z A-Z < in.txt > out.txt')
    const positional = buildSandboxRequest(callFor('sh', ['-c', 'echo "$1"', 'name', 'first']))
    expect(positional.argv).toEqual(['sh', '-c', 'echo "$1"', 'name', 'first'])
    expect(positional.command).toBeUndefined()
    expect(() => buildSandboxRequest(callFor('sh', []))).toThrow("operation 'sh' takes the command line as its first argument")
  })

  it("maps the fsx cwd into the work dir and passes the agent's isolation config", () => {
    const request = buildSandboxRequest(
      callFor('ls', [], {
        cwd: '/data/./in/',
        isolation: { level: 'process', memoryMb: 256, cpuCores: 2, networkEgress: ['api.example.com'] },
      }),
    )
    expect(request.cwd).toBe('data/in')
    expect(request.isolation).toEqual({ level: 'process', memoryMb: 256, cpuCores: 2, networkEgress: ['api.example.com'] })
  })

  it('refuses arguments that are not strings, numbers or booleans, and cwds with ..', () => {
    expect(() => buildSandboxRequest(callFor('echo', [{ a: 1 }]))).toThrow("argument 0 of 'echo' is object")
    expect(() => workDirPath('/a/../../etc')).toThrow("cwd '/a/../../etc' contains '..'")
  })
})

describe('without a reachable sandbox', () => {
  it('answers TIER_UNAVAILABLE when sandboxd is down', async () => {
    const call = callFor('uname', ['-s'], {}, DOWN)
    expect(await sandboxExecutor.isAvailable(call.bindings)).toBe(false)
    const result = await sandboxExecutor.run(call)
    expect(result).toMatchObject({ ok: false, tier: 4, operation: 'uname', exitCode: 1, error: { code: 'TIER_UNAVAILABLE', retriable: true } })
    expect(result.error?.message).toContain('sandboxd is not reachable at http://127.0.0.1:65531')
    expect(result.error?.message).toContain('apt-get install -y bubblewrap')
  })

  it('names the missing secret or URL', async () => {
    const noSecret = await sandboxExecutor.run(callFor('ls', [], {}, { SANDBOX_URL: DOWN.SANDBOX_URL, SANDBOXD_SECRET: undefined }))
    expect(noSecret.error).toMatchObject({ code: 'TIER_UNAVAILABLE', message: expect.stringContaining('SANDBOXD_SECRET is not set') })
    const noUrl = await sandboxExecutor.run(callFor('ls', [], {}, { SANDBOX_URL: undefined, SANDBOXD_SECRET: undefined }))
    expect(noUrl.error).toMatchObject({ code: 'TIER_UNAVAILABLE', message: expect.stringContaining('set SANDBOX_URL') })
  })

  it('routes an unknown operation to tier 4 and returns the failure as a result', async () => {
    const tiers: TierTable = { ...DEFAULT_TIERS, 4: sandboxExecutor }
    const result = await routeAndRun(callFor('definitely-not-a-native-op', [], {}, DOWN), tiers)
    expect(result).toMatchObject({ ok: false, tier: 4, error: { code: 'TIER_UNAVAILABLE' } })
  })

  it('the agent lifecycle calls (create, destroy, usage) throw TIER_UNAVAILABLE with the reason', async () => {
    const down = callFor('x', [], {}, DOWN).bindings
    await expect(createAgentSandbox(down, 't1', 'a1')).rejects.toMatchObject({ code: 'TIER_UNAVAILABLE', message: expect.stringContaining('not reachable') })
    const unset = callFor('x', [], {}, { SANDBOX_URL: undefined }).bindings
    await expect(destroyAgentSandbox(unset, 't1', 'a1')).rejects.toMatchObject({ code: 'TIER_UNAVAILABLE', message: expect.stringContaining('set SANDBOX_URL') })
    await expect(agentResourceUsage(down, 't1', 'a1')).rejects.toMatchObject({ code: 'TIER_UNAVAILABLE' })
  })

  it('refuses a bad argument before touching the sandbox', async () => {
    const result = await sandboxExecutor.run(callFor('echo', [null], {}, DOWN))
    expect(result.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: "argument 0 of 'echo' is null; tier 4 passes strings, numbers and booleans" })
  })
})
