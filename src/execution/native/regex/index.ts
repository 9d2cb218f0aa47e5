/**
 * The tier-1 regex engine's API. `compileRegex(source, { flavor })` parses a
 * POSIX pattern — flavor 'basic' (BRE) or 'extended' (ERE) in GNU's dialect,
 * or 'fixed' for a literal string — and throws RegexSyntaxError with glibc's
 * message when it does not compile. Options: `icase` (simple case folding),
 * `controlEscapes` (sed's \n \t …), `rejectBareClass` (grep's `[:space:]`
 * complaint), `repeatedStarInvalid` (sed's BRE: `a**` does not compile), `multiline` (sed's M: ^ and $ at newlines, `.` not matching
 * one), `wrap` ('line' for grep -x, 'word' for -w), `counter` (a shared step
 * counter). The Regex it returns answers `test(text)`, `span(text, from)`
 * (the match's [start, end) only, cheapest) and `exec(text, from)` (match
 * plus group spans; groups[0] is the match, an unset group is undefined).
 * Positions are UTF-16 indices into `text`, matching is by code point, and
 * every match is POSIX leftmost-longest. Time is linear in the text (a Pike
 * VM) unless the pattern has back-references; those run on a backtracker
 * whose step budget throws RegexTooComplex rather than hanging. The object
 * is reusable and not shared across isolates; compile once per pattern.
 */
import { concat, hasBackref, literal, relaxBackrefs, type Node } from './ast'
import { Backtracker } from './backtrack'
import { candidateFor } from './candidate'
import { compileProgram } from './compile'
import { parsePosix } from './parse'
import { PikeVM, type StepCounter } from './pike'
import type { Program } from './program'

export { RegexSyntaxError, RegexTooComplex } from './errors'
export type { StepCounter } from './pike'

export interface RegexOptions {
  flavor: 'basic' | 'extended' | 'fixed'
  icase?: boolean
  controlEscapes?: boolean
  rejectBareClass?: boolean
  repeatedStarInvalid?: boolean
  multiline?: boolean
  wrap?: 'line' | 'word'
  counter?: StepCounter
}

export type Span = readonly [start: number, end: number]

export interface RegexMatch {
  readonly start: number
  readonly end: number
  readonly groups: ReadonlyArray<Span | undefined>
}

interface Matcher {
  exec(text: string, from: number, firstOnly?: boolean): number[] | undefined
}

export class Regex {
  /** How many instructions the matchers have run (for the linear-time tests and the benchmark). */
  readonly counter: StepCounter
  private spanMatcher: Matcher | undefined
  private groupMatcher: Matcher | undefined
  private readonly backrefs: boolean

  constructor(
    private readonly node: Node,
    readonly groupCount: number,
    private readonly options: RegexOptions,
  ) {
    this.counter = options.counter ?? { steps: 0 }
    this.backrefs = hasBackref(node)
    // Compile eagerly once so a pattern too big to compile fails here, not at the first line.
    this.matcher(false)
  }

  private matcher(captures: boolean): Matcher {
    const wanted = captures || this.backrefs
    const cached = wanted ? this.groupMatcher : this.spanMatcher
    if (cached) return cached
    const built = this.backrefs ? this.backtracking() : this.pike(this.node, wanted)
    if (wanted) this.groupMatcher = built
    else this.spanMatcher = built
    // A back-reference pattern needs its groups anyway, so both uses share one matcher.
    if (this.backrefs) this.spanMatcher = this.groupMatcher = built
    return built
  }

  private program(node: Node, captures: boolean): Program {
    return compileProgram(node, {
      groups: captures ? this.groupCount : 0,
      icase: this.options.icase ?? false,
      dotNewline: !this.options.multiline,
      multiline: this.options.multiline ?? false,
      captures,
      loopGuards: this.backrefs && captures,
    })
  }

  private pike(node: Node, captures: boolean): PikeVM {
    const program = this.program(node, captures)
    return new PikeVM(program, candidateFor(program), this.counter)
  }

  /** The backtracker, behind a linear-time check that the pattern with its back-references relaxed can match at all. */
  private backtracking(): Matcher {
    const program = this.program(this.node, true)
    const backtracker = new Backtracker(program, candidateFor(program), this.counter)
    const filter = this.pike(relaxBackrefs(this.node), false)
    return {
      exec: (text, from, firstOnly) => {
        const possible = filter.exec(text, from, true)
        return possible ? backtracker.exec(text, possible[0] as number, firstOnly) : undefined
      },
    }
  }

  test(text: string): boolean {
    return this.matcher(false).exec(text, 0, true) !== undefined
  }

  span(text: string, from = 0): Span | undefined {
    const slots = this.matcher(false).exec(text, from)
    return slots && [slots[0] as number, slots[1] as number]
  }

  exec(text: string, from = 0): RegexMatch | undefined {
    const slots = this.matcher(true).exec(text, from)
    if (!slots) return undefined
    const groups: Array<Span | undefined> = []
    for (let group = 0; group <= this.groupCount; group++) {
      const start = slots[group * 2] as number
      const end = slots[group * 2 + 1] as number
      groups.push(start >= 0 && end >= 0 ? [start, end] : undefined)
    }
    return { start: slots[0] as number, end: slots[1] as number, groups }
  }
}

export function compileRegex(source: string, options: RegexOptions): Regex {
  const parsed =
    options.flavor === 'fixed'
      ? { node: literal(source), groups: 0 }
      : parsePosix(source, { flavor: options.flavor, controlEscapes: options.controlEscapes, rejectBareClass: options.rejectBareClass, repeatedStarInvalid: options.repeatedStarInvalid })
  return fromNode(parsed.node, parsed.groups, options)
}

/** A Regex for a tree built elsewhere (globs), with grep's -x/-w wrapping applied here. */
export function fromNode(node: Node, groups: number, options: RegexOptions): Regex {
  let wrapped = node
  if (options.wrap === 'line') wrapped = concat([{ type: 'assert', kind: 'line-start' }, node, { type: 'assert', kind: 'line-end' }])
  else if (options.wrap === 'word') wrapped = concat([{ type: 'assert', kind: 'no-word-before' }, node, { type: 'assert', kind: 'no-word-after' }])
  return new Regex(wrapped, groups, options)
}
