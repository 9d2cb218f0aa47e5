/**
 * The command-line shell of the fabric: `parseCommandLine` (text → syntax
 * tree, throws ParseError) and `runCommandLine` (parse, then run each stage
 * through the caller's `runStage`; never throws). See docs/native.md for the
 * grammar.
 */
export type { AndOr, CommandList, Pipeline, Redirect, SimpleCommand, Word, WordPart } from './ast'
export { ParseError } from './errors'
export { runCommandLine, type RunStage, type ShellDeps, type StageIO } from './interpreter'
export { parseCommandLine } from './parser'
