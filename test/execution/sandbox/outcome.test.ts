/** How a sandbox run becomes an ExecResult: which code, and what the caller is told. */
import { describe, expect, it } from 'vitest'
import type { SandboxExecOutcome } from '../../../src/execution/sandbox/client'
import { resultFromOutcome } from '../../../src/execution/sandbox/outcome'
import type { SyncBackReport } from '../../../src/execution/sandbox/sync'

const identity = { tier: 4 as const, operation: 'x', executionId: 'exe_1', traceId: 'a'.repeat(32) }
const timing = { startedAt: performance.now(), timeoutMs: 1000 }
const noSync: SyncBackReport = { written: [], deleted: [], created: [], skipped: [] }

function outcome(overrides: Partial<SandboxExecOutcome> = {}): SandboxExecOutcome {
  return {
    exitCode: 0,
    signal: null,
    stdout: 'out',
    stderr: 'err',
    duration: 5,
    timedOut: false,
    truncated: false,
    limitExceeded: null,
    usage: { cpuUserMs: 1, cpuSystemMs: 2, maxRssKb: 3 },
    level: 'container',
    ...overrides,
  }
}

describe('resultFromOutcome', () => {
  it('a clean run is ok, with the command’s output and what was synced', () => {
    const sync = { ...noSync, written: ['/out.txt'] }
    const result = resultFromOutcome(identity, outcome(), sync, timing)
    expect(result).toMatchObject({
      ok: true,
      tier: 4,
      exitCode: 0,
      stdout: 'out',
      stderr: 'err',
      value: { isolation: 'container', signal: null, limitExceeded: null, usage: { cpuUserMs: 1, cpuSystemMs: 2, maxRssKb: 3 }, sync },
    })
    expect(result.error).toBeUndefined()
  })

  it('a timeout is TIMEOUT, whatever else happened', () => {
    const result = resultFromOutcome(identity, outcome({ timedOut: true, exitCode: 137, signal: 'SIGKILL', limitExceeded: 'processes' }), noSync, timing)
    expect(result.error).toEqual({
      code: 'TIMEOUT',
      message: 'the command ran past its 1000 ms timeout and was killed with every process it started',
      retriable: true,
      details: { exitCode: 137, signal: 'SIGKILL', limit: 'processes' },
    })
  })

  it('a failure after hitting a limit is RESOURCE_EXHAUSTED and says which limit to raise', () => {
    const result = resultFromOutcome(identity, outcome({ exitCode: 12, limitExceeded: 'memory' }), noSync, timing)
    expect(result.error).toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      message: "the command hit the sandbox's memory limit (address space): raise isolation.memoryMb",
      retriable: false,
    })
  })

  it('any other non-zero exit is COMMAND_FAILED, naming a killing signal', () => {
    expect(resultFromOutcome(identity, outcome({ exitCode: 2 }), noSync, timing).error?.message).toBe('the command exited with code 2; see stderr')
    expect(resultFromOutcome(identity, outcome({ exitCode: 139, signal: 'SIGSEGV' }), noSync, timing).error?.message).toBe(
      'the command was killed by SIGSEGV; see stderr',
    )
  })

  it('a symlink out of the work dir fails an otherwise clean run with EACCES; an inside one does not', () => {
    const skipped = [
      { path: '/near', code: 'EINVAL' as const, message: 'near' },
      { path: '/leak', code: 'EACCES' as const, message: "'/leak' is a symlink to '/etc/passwd', outside the work dir" },
    ]
    const result = resultFromOutcome(identity, outcome(), { ...noSync, skipped }, timing)
    expect(result).toMatchObject({ ok: false, error: { code: 'EACCES', message: "'/leak' is a symlink to '/etc/passwd', outside the work dir", details: { skipped } } })
    // The command exited 0, but what it made cannot be kept: the run fails as a write to a refusing filesystem would.
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toBe("err\nsandbox: near\nsandbox: '/leak' is a symlink to '/etc/passwd', outside the work dir\n")
    expect(resultFromOutcome(identity, outcome(), { ...noSync, skipped: [skipped[0]!] }, timing).ok).toBe(true)
  })

  it('keeps exact binary stdout and the truncation flag', () => {
    const result = resultFromOutcome(identity, outcome({ stdoutBase64: '/0E=', truncated: true }), noSync, timing)
    expect(result).toMatchObject({ stdoutBase64: '/0E=', truncated: true })
  })
})
