/**
 * Walks every node of a parsed line — commands inside compound commands,
 * functions, command substitutions, parameter words and here-documents —
 * telling a Visitor what it finds. Used by the line planner and by policy's
 * view of a line's stages.
 */
import type { AndOr, Command, CommandList, CondExpr, FunctionDef, Pipeline, SimpleCommand, Word } from './ast'

export interface Visitor {
  simple?(command: SimpleCommand): void
  function?(definition: FunctionDef): void
  /** A compound command, a function, `$(…)` or `$((…))`: the line is not a plain list of pipelines. */
  structure?(): void
  background?(): void
  procsubst?(): void
}

function visitWord(word: Word | undefined, v: Visitor): void {
  if (!word) return
  for (const element of word.array ?? []) visitWord(element, v)
  for (const part of word.parts) {
    if (part.kind === 'command') {
      v.structure?.()
      visitList(part.list, v)
    } else if (part.kind === 'arith') {
      v.structure?.()
      visitWord(part.expr, v)
    } else if (part.kind === 'procsubst') v.procsubst?.()
    else if (part.kind === 'parameter') {
      visitWord(part.index, v)
      const op = part.op
      if (op?.kind === 'default') visitWord(op.word, v)
      if (op?.kind === 'trim') visitWord(op.pattern, v)
      if (op?.kind === 'replace') {
        visitWord(op.pattern, v)
        visitWord(op.replacement, v)
      }
      if (op?.kind === 'slice') {
        visitWord(op.offset, v)
        visitWord(op.length, v)
      }
    }
  }
}

function visitCond(expr: CondExpr, v: Visitor): void {
  if (expr.kind === 'not') return visitCond(expr.expr, v)
  if (expr.kind === 'and' || expr.kind === 'or') {
    visitCond(expr.left, v)
    return visitCond(expr.right, v)
  }
  if (expr.kind === 'word') return visitWord(expr.word, v)
  if (expr.kind === 'unary') return visitWord(expr.operand, v)
  if (expr.kind === 'binary') {
    visitWord(expr.left, v)
    visitWord(expr.right, v)
  }
}

function visitCommand(command: Command, v: Visitor): void {
  if (command.kind === 'function') {
    v.structure?.()
    v.function?.(command)
    return visitCommand(command.body, v)
  }
  if (command.kind === 'command') {
    for (const assignment of command.assignments) {
      visitWord(assignment.value, v)
      for (const element of assignment.array ?? []) visitWord(element, v)
    }
    command.words.forEach((word) => visitWord(word, v))
    for (const redirect of command.redirects) {
      if (redirect.kind === 'file') visitWord(redirect.target, v)
      if (redirect.kind === 'heredoc') visitWord(redirect.body, v)
    }
    v.simple?.(command)
    return
  }
  v.structure?.()
  for (const redirect of command.redirects) if (redirect.kind === 'file') visitWord(redirect.target, v)
  const body = command.body
  switch (body.kind) {
    case 'group':
    case 'subshell':
      return visitList(body.body, v)
    case 'if':
      for (const branch of body.branches) {
        visitList(branch.condition, v)
        visitList(branch.body, v)
      }
      if (body.otherwise) visitList(body.otherwise, v)
      return
    case 'while':
      visitList(body.condition, v)
      return visitList(body.body, v)
    case 'for':
      body.items?.forEach((word) => visitWord(word, v))
      return visitList(body.body, v)
    case 'arith-for':
      return visitList(body.body, v)
    case 'case':
      visitWord(body.subject, v)
      for (const item of body.items) visitList(item.body, v)
      return
    case 'arith':
      return visitWord(body.expr, v)
    case 'cond':
      return visitCond(body.expr, v)
  }
}

function visitNode(node: AndOr | Pipeline, v: Visitor): void {
  if (node.kind === 'pipeline') {
    node.commands.forEach((command) => visitCommand(command, v))
    return
  }
  visitNode(node.left, v)
  visitNode(node.right, v)
}

export function visitList(list: CommandList, v: Visitor): void {
  for (const item of list.items) {
    if (item.background) v.background?.()
    visitNode(item.node, v)
  }
}
