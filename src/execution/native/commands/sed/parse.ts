/**
 * Parses a sed script (GNU syntax) into a Program. Errors carry GNU's
 * wording and position: `-e expression #1, char 3: unterminated `s' command`.
 * Supported: addresses N, $, /re/I, \cREc, first~step, A,B, A,+N, A,~N,
 * 0,/re/, !; commands { } = a b c d D g G h H i n N p P q Q s t T x y z : #.
 */
import { UnsupportedFeature } from '../../context'
import { compileRegex, RegexSyntaxError, type Regex, type StepCounter } from '../../regex/index'
import type { Address, Command, Instruction, Program, RangeEnd, ReplacementPart, Selector } from './program'

export class SedScriptError extends Error {
  override readonly name = 'SedScriptError'
  constructor(
    message: string,
    /** sed's exit status: 1 for a bad script, 4 ("panic") for a jump to a missing label, as GNU. */
    readonly status = 1,
  ) {
    super(message)
  }
}

const SIMPLE = new Set(['}', '=', 'd', 'D', 'g', 'G', 'h', 'H', 'n', 'N', 'p', 'P', 'x', 'z'])
/** Commands that consume the rest of their line (or open a block) themselves. */
const SELF_TERMINATED = new Set(['{', 'a', 'c', 'i', ':', 'b', 't', 'T'])
const UNSUPPORTED = new Set(['e', 'F', 'l', 'r', 'R', 'v', 'w', 'W'])
const TEXT_ESCAPES: Readonly<Record<string, string>> = { a: '\x07', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' }

export interface ScriptChunk {
  text: string
  /** How GNU names the chunk in errors: `-e expression #2` or `file x.sed`. */
  origin: string
}

class Parser {
  private i = 0
  private readonly commands: Command[] = []
  private readonly blocks: number[] = []
  private readonly text: string
  private readonly starts: number[] = []
  /** Shared by every regex of the script, so the machine can pace itself by matching work. */
  readonly counter: StepCounter = { steps: 0 }

  constructor(
    private readonly chunks: readonly ScriptChunk[],
    private readonly extended: boolean,
  ) {
    let offset = 0
    for (const chunk of chunks) {
      this.starts.push(offset)
      offset += chunk.text.length + 1
    }
    this.text = chunks.map((chunk) => chunk.text).join('\n')
  }

  /** Throws with GNU's position: the number of characters read in the current chunk. */
  fail(message: string, consumed = this.i): never {
    let index = this.starts.length - 1
    while (index > 0 && (this.starts[index] as number) > consumed - 1) index--
    const chunk = this.chunks[index] as ScriptChunk
    throw new SedScriptError(`${chunk.origin}, char ${consumed - (this.starts[index] as number)}: ${message}`)
  }

  private peek(): string | undefined {
    return this.text[this.i]
  }

  private skipSpaces(newlines = false): void {
    while (this.i < this.text.length && (this.peek() === ' ' || this.peek() === '\t' || (newlines && this.peek() === '\n'))) this.i++
  }

  private number(): number | undefined {
    const digits = /^\d+/.exec(this.text.slice(this.i))
    if (!digits) return undefined
    this.i += digits[0].length
    return Number(digits[0])
  }

  /**
   * Reads up to an unescaped `delimiter`; `\delimiter` becomes the delimiter
   * itself. In a regex, a bracket expression is read whole, as GNU does: the
   * delimiter is an ordinary member there (`s/[^/]*$//`), `\n` `\t` … are the
   * control characters and any other backslash stays a backslash.
   */
  private delimited(delimiter: string, what: string, regex = false): string {
    let out = ''
    for (;;) {
      const char = this.text[this.i++]
      if (char === undefined) this.fail(what, this.text.length)
      if (char === delimiter) return out
      if (char === '[' && regex) out += this.bracket(what)
      else if (char === '\\') {
        const next = this.text[this.i++]
        if (next === undefined) this.fail(what, this.text.length)
        if (next === delimiter) out += delimiter
        else if (next === '\n') out += '\\n'
        else out += `\\${next}`
      } else if (char === '\n' && what !== 'unterminated address regex') {
        this.fail(what)
      } else out += char
    }
  }

  /** The rest of a bracket expression whose `[` was just read, up to and including its `]`. */
  private bracket(what: string): string {
    let out = '['
    if (this.peek() === '^') out += this.text[this.i++]
    if (this.peek() === ']') out += this.text[this.i++]
    for (;;) {
      const char = this.text[this.i++]
      if (char === undefined || char === '\n') this.fail(what, this.text.length)
      if (char === ']') return `${out}]`
      const kind = this.peek()
      if (char === '[' && (kind === ':' || kind === '.' || kind === '=')) {
        const close = this.text.indexOf(`${kind}]`, this.i + 1)
        if (close !== -1) {
          out += this.text.slice(this.i - 1, close + 2)
          this.i = close + 2
          continue
        }
      }
      if (char === '\\' && kind !== undefined && TEXT_ESCAPES[kind] !== undefined) {
        out += TEXT_ESCAPES[kind]
        this.i++
      } else out += char
    }
  }

  /** `flags` holds `i` for I and `m` for M. */
  private compile(pattern: string, flags: string): Regex | undefined {
    if (pattern === '') return undefined
    try {
      return compileRegex(pattern, {
        flavor: this.extended ? 'extended' : 'basic',
        controlEscapes: true,
        repeatedStarInvalid: !this.extended,
        icase: flags.includes('i'),
        multiline: flags.includes('m'),
        counter: this.counter,
      })
    } catch (thrown) {
      if (thrown instanceof RegexSyntaxError) this.fail(thrown.message)
      throw thrown
    }
  }

  private regexFlags(): string {
    let flags = 's'
    for (;;) {
      const char = this.peek()
      if (char === 'I') flags += 'i'
      else if (char === 'M') flags = flags.replace('s', '') + 'm'
      else return flags
      this.i++
    }
  }

  private address(): Address | undefined {
    const char = this.peek()
    if (char === '$') {
      this.i++
      return { kind: 'last' }
    }
    if (char === '/' || char === '\\') {
      this.i++
      const delimiter = char === '/' ? '/' : (this.text[this.i++] ?? '')
      const pattern = this.delimited(delimiter, 'unterminated address regex', true)
      return { kind: 'regex', regex: this.compile(pattern, this.regexFlags()) }
    }
    const line = this.number()
    if (line === undefined) return undefined
    if (this.peek() === '~') {
      this.i++
      return { kind: 'step', first: line, step: this.number() ?? 0 }
    }
    return { kind: 'line', line }
  }

  private selector(): Selector {
    const selector: Selector = { negate: false, zeroStart: false }
    const start = this.address()
    if (start) {
      selector.start = start
      this.skipSpaces()
      if (this.peek() === ',') {
        this.i++
        this.skipSpaces()
        const sign = this.peek()
        if (sign === '+' || sign === '~') {
          this.i++
          const count = this.number() ?? 0
          selector.end = sign === '+' ? { kind: 'plus', count } : { kind: 'multiple', of: count }
        } else {
          const end = this.address()
          if (!end) this.fail('unexpected `,\'')
          selector.end = end as RangeEnd
        }
      }
      if (start.kind === 'line' && start.line === 0) {
        if (selector.end?.kind !== 'regex') this.fail('invalid usage of line address 0', this.i + 1)
        selector.zeroStart = true
      }
    }
    this.skipSpaces()
    if (this.peek() === '!') {
      this.i++
      selector.negate = true
      this.skipSpaces()
      if (this.peek() === '!') this.fail("multiple `!'s", this.i + 1)
    }
    return selector
  }

  /** After a command: spaces, then `;`, `}`, `#`, a newline or the end. */
  private endOfCommand(): void {
    this.skipSpaces()
    const char = this.peek()
    if (char === undefined || char === '\n' || char === ';') {
      this.i++
      return
    }
    if (char === '}' || char === '#') return
    this.fail('extra characters after command', this.i + 1)
  }

  /** Text of a, i, c: GNU's one-line form or the classic `a\` newline form. */
  private commandText(): string {
    this.skipSpaces()
    if (this.peek() === '\\') {
      this.i++
      if (this.peek() === '\n') this.i++
    } else if (this.peek() === undefined || this.peek() === '\n') {
      this.fail("expected \\ after `a', `c' or `i'")
    }
    let out = ''
    while (this.i < this.text.length && this.peek() !== '\n') {
      const char = this.text[this.i++] as string
      if (char !== '\\') out += char
      else if (this.i < this.text.length) {
        const next = this.text[this.i++] as string
        out += TEXT_ESCAPES[next] ?? next
      }
    }
    this.i++
    return out
  }

  private label(): string {
    this.skipSpaces()
    const match = /^[^;\n]*/.exec(this.text.slice(this.i)) as RegExpExecArray
    this.i += match[0].length
    if (this.peek() !== undefined) this.i++
    return match[0].trim()
  }

  private replacement(delimiter: string): ReplacementPart[] {
    const parts: ReplacementPart[] = []
    const text = (value: string) => {
      const last = parts[parts.length - 1]
      if (last?.kind === 'text') last.text += value
      else parts.push({ kind: 'text', text: value })
    }
    for (;;) {
      const char = this.text[this.i++]
      if (char === undefined) this.fail("unterminated `s' command", this.text.length)
      if (char === delimiter) return parts
      if (char === '&') parts.push({ kind: 'group', group: 0 })
      else if (char !== '\\') text(char)
      else {
        const next = this.text[this.i++]
        if (next === undefined) this.fail("unterminated `s' command", this.text.length)
        if (/[0-9]/.test(next)) parts.push({ kind: 'group', group: Number(next) })
        else if ('ULEul'.includes(next)) parts.push({ kind: 'case', mode: next as 'U' })
        else if (next === '\n') text('\n')
        else text(TEXT_ESCAPES[next] ?? next)
      }
    }
  }

  private substitute(): Instruction {
    const delimiter = this.text[this.i++]
    if (delimiter === undefined || delimiter === '\n' || delimiter === '\\') this.fail("unterminated `s' command", this.text.length)
    const pattern = this.delimited(delimiter, "unterminated `s' command", true)
    const replacement = this.replacement(delimiter)
    let global = false
    let print = false
    let occurrence: number | undefined
    let flags = 's'
    for (;;) {
      const char = this.peek()
      if (char === 'g') {
        if (global) this.fail("multiple `g' options to `s' command", this.i + 1)
        global = true
      } else if (char === 'p') {
        if (print) this.fail("multiple `p' options to `s' command", this.i + 1)
        print = true
      } else if (char === 'i' || char === 'I') flags += 'i'
      else if (char === 'm' || char === 'M') flags = flags.replace('s', '') + 'm'
      else if (char !== undefined && /[0-9]/.test(char)) {
        const start = this.i
        const value = this.number() as number
        if (value === 0) this.fail("number option to `s' command may not be zero", start + 1)
        if (occurrence !== undefined) this.fail("multiple number options to `s' command", this.i)
        occurrence = value
        continue
      } else if (char === 'e' || char === 'w') throw new UnsupportedFeature('sed', `the s///${char} flag`)
      else break
      this.i++
    }
    const regex = this.compile(pattern, flags)
    const nextChar = this.peek()
    if (nextChar !== undefined && !/[\s;}#]/.test(nextChar)) this.fail("unknown option to `s'", this.i + 1)
    return { name: 's', substitution: { regex, replacement, global, occurrence: occurrence ?? 1, print } }
  }

  private transliterate(): Instruction {
    const delimiter = this.text[this.i++] ?? ''
    const unescape = (text: string) => text.replace(/\\(.)/gsu, (_, c: string) => (c === 'n' ? '\n' : c === '\\' ? '\\' : `\\${c}`))
    const from = [...unescape(this.delimited(delimiter, "unterminated `y' command"))]
    const to = [...unescape(this.delimited(delimiter, "unterminated `y' command"))]
    if (from.length !== to.length) this.fail("strings for `y' command are different lengths")
    return { name: 'y', map: new Map(from.map((char, index) => [char, to[index] as string])) }
  }

  private instruction(name: string, selector: Selector): Instruction {
    if (SIMPLE.has(name)) return { name } as Instruction
    switch (name) {
      case '{':
        return { name, end: -1 }
      case 'q':
      case 'Q': {
        this.skipSpaces()
        return { name, exitCode: this.number() ?? 0 }
      }
      case 'a':
      case 'i':
      case 'c':
        return { name, text: this.commandText() }
      case 's':
        return this.substitute()
      case 'y':
        return this.transliterate()
      case 'b':
      case 't':
      case 'T':
        return { name, label: this.label(), target: -1 }
      case ':': {
        if (selector.start) this.fail(': doesn\'t want any addresses')
        const label = this.label()
        if (label === '') this.fail('":" lacks a label')
        return { name, label }
      }
    }
    if (UNSUPPORTED.has(name)) throw new UnsupportedFeature('sed', `the '${name}' command`)
    return this.fail(`unknown command: \`${name}'`, this.i)
  }

  parse(): Program {
    const quiet = /^#n(\n|$)/.test(this.text)
    while (this.i < this.text.length) {
      this.skipSpaces(true)
      if (this.peek() === ';') {
        this.i++
        continue
      }
      if (this.i >= this.text.length) break
      const selector = this.selector()
      const name = this.text[this.i++]
      if (name === undefined || name === '\n' || name === ';') this.fail('missing command', Math.min(this.i, this.text.length))
      if (name === '#') {
        if (selector.start) this.fail("comments don't accept any addresses")
        while (this.i < this.text.length && this.peek() !== '\n') this.i++
        continue
      }
      const instruction = this.instruction(name, selector)
      const command = { ...instruction, selector, id: this.commands.length } as Command
      if (name === '{') this.blocks.push(this.commands.length)
      if (name === '}') {
        const open = this.blocks.pop()
        if (open === undefined) this.fail("unexpected `}'")
        ;(this.commands[open] as Command & { end: number }).end = this.commands.length
      }
      this.commands.push(command)
      if (!SELF_TERMINATED.has(name)) this.endOfCommand()
    }
    if (this.blocks.length > 0) this.fail("unmatched `{'", 0)
    this.resolveLabels()
    return { commands: this.commands, quiet, regexSteps: this.counter }
  }

  private resolveLabels(): void {
    const labels = new Map<string, number>()
    for (const command of this.commands) if (command.name === ':') labels.set(command.label, command.id)
    for (const command of this.commands) {
      if (command.name !== 'b' && command.name !== 't' && command.name !== 'T') continue
      if (command.label === '') command.target = this.commands.length
      else {
        const target = labels.get(command.label)
        if (target === undefined) throw new SedScriptError(`can't find label for jump to \`${command.label}'`, 4)
        command.target = target
      }
    }
  }
}

export function parseScript(chunks: readonly ScriptChunk[], extended: boolean): Program {
  return new Parser(chunks, extended).parse()
}
