/**
 * Non-local control flow inside the interpreter, as exceptions: break and
 * continue (with their loop count), return from a function, exit from the
 * shell, and LineAborted for what ends the whole line with an error code
 * (deadline, cancellation, a limit, output that did not fit).
 */
import type { ErrorCode } from '../../../types/errors'

export class BreakLoop {
  constructor(public levels: number) {}
}

export class ContinueLoop {
  constructor(public levels: number) {}
}

export class ReturnFromFunction {
  constructor(readonly status: number) {}
}

export class ExitShell {
  constructor(readonly status: number) {}
}

export class LineAborted extends Error {
  override readonly name = 'LineAborted'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

/** Limits of one tier-1 line; exceeding one ends the line with RESOURCE_EXHAUSTED. */
export interface ShellLimits {
  /** Commands (simple, builtin or function calls) the whole line may run. */
  commands: number
  /** Iterations of all loops together. */
  iterations: number
  /** Nested function calls, subshells and command substitutions. */
  depth: number
}

export const DEFAULT_LIMITS: ShellLimits = { commands: 2_000_000, iterations: 1_000_000, depth: 200 }
