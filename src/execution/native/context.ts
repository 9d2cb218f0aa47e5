/**
 * What a tier-1 utility sees: its argv, stdin as a stream, the tenant's fsx,
 * and two output sinks. A utility returns its exit status; it reports
 * problems on stderr the way GNU coreutils does, and never builds an
 * ExecResult itself. In a pipeline stdin and stdout are pipes (stream.ts):
 * a utility that reads its input chunk by chunk and awaits
 * `stdout.drain()` as it goes runs in bounded memory; one that needs the
 * whole input calls `stdin.readAll()`.
 */
import type { ExecResult, FileSystem } from '../../../types/execution'
import type { ByteReader, ByteSink } from './stream'

export interface CommandContext {
  /** The utility name, used as the prefix of every diagnostic (`cat: x: …`). */
  readonly name: string
  readonly args: readonly string[]
  readonly stdin: ByteReader
  /** Absolute working directory inside the fs root. */
  readonly cwd: string
  readonly env: Readonly<Record<string, string>>
  readonly fs: FileSystem
  readonly stdout: ByteSink
  readonly stderr: ByteSink
  /** Aborted on timeout or cancellation; long loops call `throwIfAborted()`. */
  readonly signal: AbortSignal
  /**
   * Runs another command (xargs, find -exec) as the caller would: through
   * the tier router when the call came through it (so `xargs grep` stays on
   * tier 1 and `xargs python3` goes to tier 4), otherwise on tier 1 alone.
   * The command gets this call's cwd, env, trace and the time left; its
   * result is a plain ExecResult (stdout, stderr, exit status, error code).
   * `cwd` (absolute) overrides the working directory (find -execdir);
   * `timeoutMs` shortens the time the command gets (timeout), never lengthens it.
   */
  readonly run: (argv: readonly string[], stdin: Uint8Array, cwd?: string, timeoutMs?: number) => Promise<ExecResult>
}

/** A utility: resolves to its exit status. */
export type Command = (ctx: CommandContext) => Promise<number>

/**
 * Thrown by a utility asked for a feature tier 1 does not implement (an
 * option, a sed command, a find predicate). The executor turns it into a
 * retriable NOT_SUPPORTED result so the router re-runs the call on tier 4,
 * where the real GNU tool answers.
 */
export class UnsupportedFeature extends Error {
  override readonly name = 'UnsupportedFeature'
  constructor(
    readonly utility: string,
    readonly feature: string,
  ) {
    super(`${utility}: ${feature} is not supported on tier 1; run it on tier 4 (the Linux sandbox)`)
  }
}

/**
 * A usage mistake GNU would print as `name: message` (plus a `Try 'name
 * --help'` line when `hint` is set) before exiting with the utility's usage
 * status (2 for grep, sort, ls and test; 1 for most others).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError'
  constructor(
    message: string,
    readonly hint = true,
    /** Print the message as is, without the `name: ` prefix (GNU's `Usage: …` lines). */
    readonly bare = false,
  ) {
    super(message)
  }
}
