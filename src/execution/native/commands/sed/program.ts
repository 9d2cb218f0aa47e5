/** The parsed form of a sed script: a flat list of commands with resolved jumps. */
import type { Regex, StepCounter } from '../../regex/index'

export type Address =
  | { kind: 'line'; line: number }
  | { kind: 'last' }
  /** `regex` undefined is the empty regex `//`: the last regex used. */
  | { kind: 'regex'; regex: Regex | undefined }
  | { kind: 'step'; first: number; step: number }

export type RangeEnd = Address | { kind: 'plus'; count: number } | { kind: 'multiple'; of: number }

export interface Selector {
  start?: Address
  end?: RangeEnd
  negate: boolean
  /** 0,/re/: the range may end on the first line. */
  zeroStart: boolean
}

export type ReplacementPart =
  | { kind: 'text'; text: string }
  /** 0 is the whole match (`&`). */
  | { kind: 'group'; group: number }
  /** \U \L \E (until further notice) and \u \l (next character only). */
  | { kind: 'case'; mode: 'U' | 'L' | 'E' | 'u' | 'l' }

export interface Substitution {
  regex: Regex | undefined
  replacement: ReplacementPart[]
  global: boolean
  occurrence: number
  print: boolean
}

export type Instruction =
  | { name: '{'; end: number }
  | { name: '}' | '=' | 'd' | 'D' | 'g' | 'G' | 'h' | 'H' | 'n' | 'N' | 'p' | 'P' | 'x' | 'z' }
  | { name: 'q' | 'Q'; exitCode: number }
  | { name: 'a' | 'i' | 'c'; text: string }
  | { name: 's'; substitution: Substitution }
  | { name: 'y'; map: Map<string, string> }
  | { name: 'b' | 't' | 'T'; label: string; target: number }
  | { name: ':'; label: string }

export type Command = Instruction & { selector: Selector; id: number }

export interface Program {
  commands: Command[]
  /** `#n` on the first line of the script acts like -n. */
  quiet: boolean
  /** The step counter all of the script's regexes add to. */
  regexSteps: StepCounter
}
