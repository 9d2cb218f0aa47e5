/** A POSIX regex that does not compile; the message is glibc's regerror wording. */
export class RegexSyntaxError extends Error {
  override readonly name = 'RegexSyntaxError'
}

/**
 * A back-reference match that ran out of its step budget. Back-references
 * make matching NP-hard, so the bounded backtracker gives up instead of
 * holding the isolate; the executor reports it as REGEX_TOO_COMPLEX.
 */
export class RegexTooComplex extends Error {
  override readonly name = 'RegexTooComplex'
  constructor(readonly budget: number) {
    super(`the back-reference pattern needed more than ${budget} matching steps on one line; simplify it or run the command on tier 4`)
  }
}
