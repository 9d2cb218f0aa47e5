/** A command line the parser refuses, with where: `column` (1-based) on `line` (1-based). */
export class ParseError extends Error {
  override readonly name = 'ParseError'
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`syntax error at line ${line}, column ${column}: ${reason}`)
  }
}
