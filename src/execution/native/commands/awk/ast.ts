/**
 * The tree the awk parser builds and the interpreter walks. Expressions that
 * can be assigned to (names, array elements, fields) are the LValue kinds.
 */
export type LValue = { type: 'name'; name: string } | { type: 'index'; name: string; subscripts: Expr[] } | { type: 'field'; index: Expr }

export type Expr =
  | LValue
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  /** A regex literal: in value context it means `$0 ~ /re/`. */
  | { type: 'regex'; source: string }
  | { type: 'group'; items: Expr[] }
  | { type: 'assign'; op: string; target: LValue; value: Expr }
  | { type: 'cond'; test: Expr; yes: Expr; no: Expr }
  | { type: 'logical'; op: '&&' | '||'; left: Expr; right: Expr }
  | { type: 'in'; subscripts: Expr[]; array: string }
  | { type: 'match'; negate: boolean; left: Expr; right: Expr }
  | { type: 'compare'; op: '<' | '<=' | '==' | '!=' | '>' | '>='; left: Expr; right: Expr }
  | { type: 'concat'; left: Expr; right: Expr }
  | { type: 'binary'; op: '+' | '-' | '*' | '/' | '%' | '^'; left: Expr; right: Expr }
  | { type: 'unary'; op: '!' | '-' | '+'; operand: Expr }
  | { type: 'incdec'; op: '++' | '--'; prefix: boolean; target: LValue }
  | { type: 'call'; name: string; args: Expr[]; line: number }
  | { type: 'builtin'; name: string; args: Expr[]; line: number }
  | { type: 'getline'; target?: LValue; file?: Expr }

export type Redirect = { mode: '>' | '>>'; target: Expr }

/** `line` is the source line, for gawk's `cmd. line:N:` in runtime errors. */
export type Stmt = (
  | { type: 'expr'; expr: Expr }
  | { type: 'print'; args: Expr[]; redirect?: Redirect }
  | { type: 'printf'; args: Expr[]; redirect?: Redirect; line: number }
  | { type: 'block'; body: Stmt[] }
  | { type: 'if'; test: Expr; yes: Stmt; no?: Stmt }
  | { type: 'while'; test: Expr; body: Stmt }
  | { type: 'do'; body: Stmt; test: Expr }
  | { type: 'for'; init?: Expr; test?: Expr; step?: Expr; body: Stmt }
  | { type: 'forIn'; variable: LValue; array: string; body: Stmt }
  | { type: 'break' }
  | { type: 'continue' }
  | { type: 'next'; file: boolean }
  | { type: 'exit'; status?: Expr }
  | { type: 'return'; value?: Expr }
  | { type: 'delete'; name: string; subscripts?: Expr[] }
) & { line?: number }

export type Pattern = { kind: 'begin' } | { kind: 'end' } | { kind: 'all' } | { kind: 'expr'; expr: Expr } | { kind: 'range'; from: Expr; to: Expr }

export interface Rule {
  pattern: Pattern
  /** No action: print $0. */
  action?: Stmt[]
}

export interface FunctionDef {
  name: string
  params: string[]
  body: Stmt[]
}

export interface Program {
  rules: Rule[]
  functions: Map<string, FunctionDef>
}
