/**
 * Turns a finished command (exit status and output bytes) into an ExecResult,
 * the way a shell sees it: status 0 is success, anything else is
 * COMMAND_FAILED with the status and the first line of stderr. Shared by the
 * native executor and the shell interpreter so both report alike.
 */
import type { ExecResult } from '../../../types/execution'
import type { ErrorCode } from '../../../types/errors'
import { execError, type ResultIdentity } from '../result'
import { bytesToBase64 } from './base64-codec'
import { decodeUtf8, decodeUtf8Strict } from './text'

export interface FinishedCommand {
  exitCode: number
  stdout: Uint8Array
  stderr: string
  startedAt: number
  /** Overrides COMMAND_FAILED (TIMEOUT, OUTPUT_TRUNCATED, …) for a non-zero status. */
  errorCode?: ErrorCode
  errorMessage?: string
  truncated?: boolean
}

/** stdout as the ExecResult carries it: text, plus exact base64 when it is not UTF-8. */
function stdoutFields(bytes: Uint8Array): Pick<ExecResult, 'stdout' | 'stdoutBase64'> {
  const text = decodeUtf8Strict(bytes)
  return text !== undefined ? { stdout: text } : { stdout: decodeUtf8(bytes), stdoutBase64: bytesToBase64(bytes) }
}

function failureMessage(identity: ResultIdentity, finished: FinishedCommand): string {
  if (finished.errorMessage) return finished.errorMessage
  const firstLine = finished.stderr.split('\n', 1)[0]
  const base = `${identity.operation} exited with status ${finished.exitCode}`
  return firstLine ? `${base}: ${firstLine}` : `${base} (see stdout and the exit code)`
}

export function commandResult(identity: ResultIdentity, finished: FinishedCommand): ExecResult {
  const failed = finished.exitCode !== 0 || finished.errorCode !== undefined
  const code = finished.errorCode ?? 'COMMAND_FAILED'
  return {
    ...identity,
    ok: !failed,
    exitCode: finished.exitCode,
    ...stdoutFields(finished.stdout),
    stderr: finished.stderr,
    ...(failed ? { error: execError(code, failureMessage(identity, finished)) } : {}),
    ...(finished.truncated ? { truncated: true } : {}),
    duration: performance.now() - finished.startedAt,
  }
}
