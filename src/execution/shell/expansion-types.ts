/**
 * What word expansion needs from the shell (ExpandHost), the shell's
 * options, and the pieces expansion produces before field splitting.
 */
import type { FileSystem } from '../../../types/execution'
import type { CommandList } from './ast'
import type { Variables } from './variables'

export interface ShellOptions {
  errexit: boolean
  nounset: boolean
  pipefail: boolean
  noglob: boolean
  nullglob: boolean
  dotglob: boolean
  globstar: boolean
  xtrace: boolean
  allexport: boolean
}

export interface ExpandHost {
  vars: Variables
  positional: string[]
  options: ShellOptions
  cwd: string
  fs: FileSystem
  /** $? $$ $! $0 $- */
  special(name: string): string
  /** Runs `$(…)` and returns its stdout. */
  substitute(list: CommandList): Promise<string>
}

/** A fatal expansion error (unbound variable, ${x:?}, bad arithmetic): the shell prints it and stops. */
export class ExpansionError extends Error {
  override readonly name = 'ExpansionError'
  constructor(
    message: string,
    readonly status = 1,
  ) {
    super(message)
  }
}

/** Expanded text: `split` text came from an unquoted expansion; a break separates "$@" elements. */
export type Piece = { text: string; quoted: boolean; split: boolean } | { break: true }

