/** A POSIX regex that does not compile; the message is glibc's regerror wording. */
export class RegexSyntaxError extends Error {
  override readonly name = 'RegexSyntaxError'
}
