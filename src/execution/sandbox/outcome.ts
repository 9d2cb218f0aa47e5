/**
 * A sandbox run (plus its sync back) as an ExecResult. The command's own
 * stdout/stderr are kept as they are; the error says what happened and what
 * to change:
 *
 *   timed out                     → TIMEOUT
 *   failed after hitting a limit  → RESOURCE_EXHAUSTED (details.limit)
 *   failed otherwise              → COMMAND_FAILED
 *   ran, but a file could not be
 *   synced back (symlink out of
 *   the work dir, too large)      → EACCES / EFBIG
 */
import type { ExecError, ExecResult } from '../../../types/execution'
import type { ErrorCode } from '../../../types/errors'
import { execError, type ResultIdentity } from '../result'
import type { SandboxExecOutcome } from './client'
import type { SyncBackReport } from './sync'

const LIMIT_ADVICE: Record<NonNullable<SandboxExecOutcome['limitExceeded']>, string> = {
  memory: 'memory limit (address space): raise isolation.memoryMb',
  cpu: 'CPU-time limit: do less work per call',
  'file-size': 'file-size limit: write smaller files',
  processes: 'process limit: start fewer processes',
}

function classify(outcome: SandboxExecOutcome, sync: SyncBackReport, timeoutMs: number): ExecError | undefined {
  const details = { exitCode: outcome.exitCode, signal: outcome.signal, limit: outcome.limitExceeded }
  const error = (code: ErrorCode, message: string, extra: Record<string, unknown> = {}): ExecError =>
    execError(code, message, { ...details, ...extra })
  if (outcome.timedOut) return error('TIMEOUT', `the command ran past its ${timeoutMs} ms timeout and was killed with every process it started`)
  if (outcome.exitCode !== 0 && outcome.limitExceeded) {
    return error('RESOURCE_EXHAUSTED', `the command hit the sandbox's ${LIMIT_ADVICE[outcome.limitExceeded]}`)
  }
  if (outcome.exitCode !== 0) {
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`
    return error('COMMAND_FAILED', `the command ${how}; see stderr`)
  }
  const refused = sync.skipped.find((skip) => skip.code === 'EACCES') ?? sync.skipped.find((skip) => skip.code === 'EFBIG')
  if (refused) return error(refused.code, refused.message, { skipped: sync.skipped })
  return undefined
}

export function resultFromOutcome(
  identity: ResultIdentity,
  outcome: SandboxExecOutcome,
  sync: SyncBackReport,
  timing: { startedAt: number; timeoutMs: number },
): ExecResult {
  const error = classify(outcome, sync, timing.timeoutMs)
  return {
    ...identity,
    ok: error === undefined,
    exitCode: outcome.exitCode,
    stdout: outcome.stdout,
    stderr: outcome.stderr,
    ...(outcome.stdoutBase64 !== undefined ? { stdoutBase64: outcome.stdoutBase64 } : {}),
    ...(outcome.truncated ? { truncated: true } : {}),
    value: {
      isolation: outcome.level,
      signal: outcome.signal,
      limitExceeded: outcome.limitExceeded,
      usage: outcome.usage,
      sync,
    },
    ...(error ? { error } : {}),
    duration: performance.now() - timing.startedAt,
  }
}
