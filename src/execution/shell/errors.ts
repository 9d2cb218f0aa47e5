/**
 * A command line the parser refuses, with where: `column` (1-based) on
 * `line` (1-based). `unsupported` marks valid bash this parser does not
 * take (coproc, select, extglob, …): such a line runs whole on tier 4
 * instead of being refused.
 */
export class ParseError extends Error {
  override readonly name = 'ParseError'
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly unsupported = false,
  ) {
    super(`syntax error at line ${line}, column ${column}: ${reason}`)
  }
}
