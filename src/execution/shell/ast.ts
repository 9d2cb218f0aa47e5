/**
 * The syntax tree of a command line. Lists hold and-or trees whose leaves
 * are pipelines of simple commands; `&&` and `||` have equal precedence and
 * associate to the left, below `|`, above `;` — as in POSIX sh.
 */

/** A piece of a word. `quoted` pieces are neither split into fields nor globbed. */
export type WordPart =
  | { kind: 'literal'; text: string; quoted: boolean }
  /** `$NAME`, `${NAME}` or `$?`. */
  | { kind: 'parameter'; name: string; quoted: boolean }

export interface Word {
  parts: WordPart[]
  /** 1-based column of the word's first character. */
  column: number
}

export type Redirect =
  /** `[n]>file`, `[n]>>file`, `[n]<file` (also `>|` as `>`). */
  | { kind: 'file'; fd: number; mode: 'write' | 'append' | 'read'; target: Word; column: number }
  /** `[n]>&m` / `[n]<&m`: fd n becomes a copy of fd m. */
  | { kind: 'duplicate'; fd: number; from: number; column: number }

export interface Assignment {
  name: string
  value: Word
}

export interface SimpleCommand {
  kind: 'command'
  assignments: Assignment[]
  words: Word[]
  redirects: Redirect[]
  column: number
}

export interface Pipeline {
  kind: 'pipeline'
  /** `! a | b` inverts the status. */
  negated: boolean
  commands: SimpleCommand[]
}

export interface AndOr {
  kind: 'and' | 'or'
  left: AndOr | Pipeline
  right: Pipeline
}

export interface CommandList {
  kind: 'list'
  items: Array<AndOr | Pipeline>
}
