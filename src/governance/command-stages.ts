/**
 * The stages of a command line as policy sees them, from the shell's own
 * parser (src/execution/shell): each simple command's operation, its words,
 * and the files its redirections read and write.
 *
 * Words are taken as written, with `$NAME` replaced from the request's env
 * when it is given there and left as `$NAME` otherwise; pathname patterns
 * (`*.csv`) stay patterns. Policy therefore checks the pattern, not the files
 * it will match at run time — see docs/governance.md, "limits".
 */
import { FabricError } from '../../types/errors'
import type { AndOr, Pipeline, SimpleCommand, Word } from '../execution/shell/ast'
import { ParseError } from '../execution/shell/errors'
import { parseCommandLine } from '../execution/shell/parser'
import type { StageForPolicy } from './actions'

function wordText(word: Word, env: Readonly<Record<string, string>>): string {
  return word.parts.map((part) => (part.kind === 'literal' ? part.text : (env[part.name] ?? `$${part.name}`))).join('')
}

function pipelines(item: AndOr | Pipeline): Pipeline[] {
  return item.kind === 'pipeline' ? [item] : [...pipelines(item.left), item.right]
}

function stageOf(command: SimpleCommand, env: Readonly<Record<string, string>>): StageForPolicy {
  const [operation = '', ...args] = command.words.map((w) => wordText(w, env))
  const redirects = command.redirects.flatMap((r) =>
    r.kind === 'file' ? [{ direction: r.mode === 'read' ? ('read' as const) : ('write' as const), path: wordText(r.target, env) }] : [],
  )
  return { operation, args, redirects }
}

/** Throws PARSE_ERROR (400) for a line the shell would refuse, so nothing malformed is admitted. */
export function splitCommandLine(line: string, env: Readonly<Record<string, string>> = {}): StageForPolicy[] {
  try {
    return parseCommandLine(line)
      .items.flatMap(pipelines)
      .flatMap((pipeline) => pipeline.commands)
      .map((command) => stageOf(command, env))
      .filter((stage) => stage.operation !== '' || (stage.redirects?.length ?? 0) > 0)
  } catch (error) {
    if (error instanceof ParseError) throw new FabricError('PARSE_ERROR', `the command line does not parse: ${error.message}`, { column: error.column })
    throw error
  }
}
