/**
 * How an awk program fails. A program tier 1 cannot parse becomes
 * NOT_SUPPORTED (gawk's caret diagnostics, and the extensions we do not
 * parse, are tier 4's to give); a fatal runtime error prints gawk's message
 * and exits 2.
 */
export class AwkSyntaxError extends Error {
  override readonly name = 'AwkSyntaxError'
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

/**
 * gawk's `fatal:` errors, printed as `awk: cmd. line:N: (FILENAME=f FNR=n) fatal: message`.
 * `where` says how much of that prefix gawk gives: 'statement' (a rule's
 * code failed: line, and the record context while reading input), 'input'
 * (opening an input file: the line of the last statement run, if any),
 * 'none' (before the program runs).
 */
export class AwkFatal extends Error {
  override readonly name = 'AwkFatal'
  constructor(
    message: string,
    readonly where: 'statement' | 'input' | 'none' = 'statement',
  ) {
    super(message)
  }
}

/** Unwinds the interpreter on `exit`. */
export class ExitSignal {
  constructor(readonly status: number | undefined) {}
}

/** `next` and `nextfile` unwind to the record loop. */
export class NextSignal {
  constructor(readonly file: boolean) {}
}
