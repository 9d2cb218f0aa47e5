/**
 * Fuzz: the command-line parser. Any input yields a syntax tree or a
 * ParseError (with a position), never another exception; the tree is well
 * formed; and command lines generated from the grammar parse back into the
 * structure and words they were built from, including quoted words.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AndOr, CommandList, Pipeline, SimpleCommand, Word } from '../../src/execution/shell/ast'
import { ParseError, parseCommandLine } from '../../src/execution/shell/index'

const SHELL_CHARACTERS = ['a', 'b', ' ', '|', '&', ';', '>', '<', "'", '"', '\\', '$', '{', '}', '(', ')', '`', '\n', '\t', '=', '#', '*', '!', '1', '2']
const shellish = fc.string({ unit: fc.constantFrom(...SHELL_CHARACTERS), maxLength: 40 })
const anyInput = fc.oneof(shellish, fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 60 }))

type Outcome = { tree: CommandList } | { error: ParseError }

function parse(line: string): Outcome {
  try {
    return { tree: parseCommandLine(line) }
  } catch (error) {
    if (!(error instanceof ParseError)) throw error
    return { error }
  }
}

function pipelinesOf(node: AndOr | Pipeline): Pipeline[] {
  return node.kind === 'pipeline' ? [node] : [...pipelinesOf(node.left), node.right]
}

function literalText(word: Word): string {
  return word.parts.map((part) => (part.kind === 'literal' ? part.text : part.kind === 'parameter' ? `$${part.name}` : `<${part.kind}>`)).join('')
}

/** The simple commands of a pipeline (compound ones have no words to compare). */
function simpleCommands(pipeline: Pipeline): SimpleCommand[] {
  return pipeline.commands.flatMap((command) => (command.kind === 'command' ? [command] : []))
}

describe('fuzz: command-line parser', () => {
  it('returns a well-formed tree or throws ParseError with a position, for any input', () => {
    fc.assert(
      fc.property(anyInput, (line) => {
        const outcome = parse(line)
        if ('error' in outcome) {
          expect(outcome.error.line).toBeGreaterThanOrEqual(1)
          expect(outcome.error.column).toBeGreaterThanOrEqual(1)
          return
        }
        for (const item of outcome.tree.items) {
          for (const pipeline of pipelinesOf(item.node)) {
            expect(pipeline.commands.length).toBeGreaterThanOrEqual(1)
            for (const command of simpleCommands(pipeline)) {
              expect(command.words.length + command.assignments.length + command.redirects.length).toBeGreaterThanOrEqual(1)
              expect(command.column).toBeGreaterThanOrEqual(1)
            }
          }
        }
      }),
      { numRuns: 5000 },
    )
  })

  it('parses generated command lines back into the pipelines, operators and words they were built from', () => {
    const word = fc.stringMatching(/^[a-z0-9_./-]{1,8}$/).filter((w) => !['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'in', 'function', 'select'].includes(w))
    const quoted = fc.string({ unit: fc.constantFrom('a', ' ', '|', ';', '&', '$', '"', '*', '>'), minLength: 1, maxLength: 8 })
    const command = fc.array(fc.oneof(word.map((w) => ({ source: w, text: w })), quoted.map((q) => ({ source: `'${q}'`, text: q }))), { minLength: 1, maxLength: 4 })
    const pipeline = fc.array(command, { minLength: 1, maxLength: 3 })
    const line = fc.array(fc.tuple(pipeline, fc.constantFrom(' && ', ' || ', ' ; ', '\n')), { minLength: 1, maxLength: 4 })
    fc.assert(
      fc.property(line, (parts) => {
        const source = parts.map(([p], i) => p.map((c) => c.map((w) => w.source).join(' ')).join(' | ') + (i < parts.length - 1 ? (parts[i]?.[1] ?? '') : '')).join('')
        const outcome = parse(source)
        if ('error' in outcome) throw new Error(`refused ${JSON.stringify(source)}: ${outcome.error.message}`)
        const parsed = outcome.tree.items.flatMap((item) => pipelinesOf(item.node)).map((p) => simpleCommands(p).map((c) => c.words.map(literalText)))
        expect(parsed).toEqual(parts.map(([p]) => p.map((c) => c.map((w) => w.text))))
      }),
      { numRuns: 2000 },
    )
  })
})
