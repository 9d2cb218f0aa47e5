/**
 * The command-line shell of the fabric: `parseCommandLine` (text → syntax
 * tree, throws ParseError), `planLine` (where a parsed line runs) and
 * `runCommandLine` (parse, plan, run; never throws). See docs/native.md for
 * the grammar, the differences from bash and the limits.
 */
export type { AndOr, Command, CommandList, Pipeline, Redirect, SimpleCommand, Word, WordPart } from './ast'
export { ParseError } from './errors'
export { planLine, type LinePlan } from './plan'
export { parseCommandLine } from './parser'
export { runCommandLine, type LineOptions } from './run-line'
export type { RunStage, ShellDeps, StageIO, StreamStage, StreamStageIO } from './stage'
