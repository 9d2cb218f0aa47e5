/**
 * The syntax tree of a bash command line. A list holds and-or trees whose
 * leaves are pipelines of commands; a command is a simple command, a
 * compound command (if, for, while, case, groups, subshells, (( )), [[ ]])
 * or a function definition. `&&` and `||` have equal precedence and
 * associate to the left, below `|`, above `;` and `&` — as in bash.
 */

/** A piece of a word. `quoted` pieces are neither split into fields nor globbed. */
export type WordPart =
  | { kind: 'literal'; text: string; quoted: boolean }
  /** `$NAME`, `${NAME…}`, `$1`, `$@`, … with an optional operator (`:-`, `#`, `/`, …). */
  | { kind: 'parameter'; name: string; quoted: boolean; index?: Word; op?: ParamOp }
  /** `$(…)` or backticks. */
  | { kind: 'command'; list: CommandList; quoted: boolean }
  /** `$((…))`: the expression text, itself expanded before it is evaluated. */
  | { kind: 'arith'; expr: Word; quoted: boolean }
  /** `<(…)` / `>(…)`: parsed so the line is valid, run only on tier 4. */
  | { kind: 'procsubst'; quoted: false }

export type ParamOp =
  /** `${#x}` */
  | { kind: 'length' }
  /** `${x:-w}` `${x-w}` `${x:=w}` `${x:?w}` `${x:+w}` */
  | { kind: 'default'; op: '-' | '=' | '?' | '+'; colon: boolean; word: Word }
  /** `${x#p}` `${x##p}` `${x%p}` `${x%%p}` */
  | { kind: 'trim'; op: '#' | '##' | '%' | '%%'; pattern: Word }
  /** `${x/p/r}` `${x//p/r}` `${x/#p/r}` `${x/%p/r}` */
  | { kind: 'replace'; mode: '/' | '//' | '#' | '%'; pattern: Word; replacement: Word }
  /** `${x:offset}` `${x:offset:length}` */
  | { kind: 'slice'; offset: Word; length?: Word }
  /** `${x^^}` `${x^}` `${x,,}` `${x,}` */
  | { kind: 'case'; op: '^' | '^^' | ',' | ',,' }
  /** `${!x}` indirection, `${!prefix*}` names, `${!arr[@]}` keys. */
  | { kind: 'indirect' }
  | { kind: 'names' }
  | { kind: 'keys' }

export interface Word {
  parts: WordPart[]
  /** 1-based column of the word's first character. */
  column: number
  /** `name=(a b [k]=c)`: the elements of a compound assignment (parts hold `name=`). */
  array?: Word[]
}

export type Redirect =
  /** `[n]>file`, `[n]>>file`, `[n]<file`, `&>file`, `[n]<>file` (as `<`). */
  | { kind: 'file'; fd: number; mode: 'write' | 'append' | 'read'; target: Word; column: number }
  /** `[n]>&m` / `[n]<&m`: fd n becomes a copy of fd m. */
  | { kind: 'duplicate'; fd: number; from: number; column: number }
  /** `[n]>&-`: close fd n. */
  | { kind: 'close'; fd: number; column: number }
  /** `<<`, `<<-` (body already stripped of tabs) and `<<<`; `expand` when the delimiter was unquoted. */
  | { kind: 'heredoc'; fd: number; body: Word; column: number }

export interface Assignment {
  name: string
  /** `a[i]=v` */
  index?: Word
  /** `a+=v` */
  append: boolean
  value: Word
  /** `a=(x y z)`: the elements as written (`[k]=v` keys are read when assigning). */
  array?: Word[]
}

export interface SimpleCommand {
  kind: 'command'
  assignments: Assignment[]
  words: Word[]
  redirects: Redirect[]
  column: number
}

export interface IfClause {
  kind: 'if'
  branches: Array<{ condition: CommandList; body: CommandList }>
  otherwise?: CommandList
}

export interface ForClause {
  kind: 'for'
  name: string
  /** Absent: iterate over "$@". */
  items?: Word[]
  body: CommandList
}

export interface ArithForClause {
  kind: 'arith-for'
  init: Word
  test: Word
  step: Word
  body: CommandList
}

export interface WhileClause {
  kind: 'while'
  until: boolean
  condition: CommandList
  body: CommandList
}

export interface CaseClause {
  kind: 'case'
  subject: Word
  items: Array<{ patterns: Word[]; body: CommandList; terminator: ';;' | ';&' | ';;&' }>
}

export interface Group {
  kind: 'group' | 'subshell'
  body: CommandList
}

export interface ArithCommand {
  kind: 'arith'
  expr: Word
}

export type CondExpr =
  | { kind: 'unary'; op: string; operand: Word }
  | { kind: 'binary'; op: string; left: Word; right: Word }
  | { kind: 'word'; word: Word }
  | { kind: 'not'; expr: CondExpr }
  | { kind: 'and' | 'or'; left: CondExpr; right: CondExpr }

export interface CondCommand {
  kind: 'cond'
  expr: CondExpr
}

export interface FunctionDef {
  kind: 'function'
  name: string
  body: Command
}

export type CompoundBody = IfClause | ForClause | ArithForClause | WhileClause | CaseClause | Group | ArithCommand | CondCommand

export interface Compound {
  kind: 'compound'
  body: CompoundBody
  redirects: Redirect[]
}

export type Command = SimpleCommand | Compound | FunctionDef

export interface Pipeline {
  kind: 'pipeline'
  /** `! a | b` inverts the status. */
  negated: boolean
  commands: Command[]
  /** `|&` after command i: its stderr goes down the pipe too. */
  stderrPiped: boolean[]
  /** `time` (bash's format) or `time -p` (POSIX's) before the pipeline. */
  timed?: 'bash' | 'posix'
}

export interface AndOr {
  kind: 'and' | 'or'
  left: AndOr | Pipeline
  right: Pipeline
}

export interface ListItem {
  node: AndOr | Pipeline
  /** Ended by `&`: a background job, which only tier 4 runs. */
  background: boolean
}

export interface CommandList {
  kind: 'list'
  items: ListItem[]
}
