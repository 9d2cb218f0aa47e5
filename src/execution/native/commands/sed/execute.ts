/**
 * Runs a parsed sed Program over a stream of input lines: pattern and hold
 * space, range state per command, the append queue, branching, and GNU's
 * newline rule (a last line read without a newline is written without one).
 */
import { Pacer } from '../../pace'
import type { Regex, RegexMatch } from '../../regex/index'
import type { Address, Command, Program, ReplacementPart, Selector, Substitution } from './program'

export interface InputLine {
  text: string
  /** Whether the line ended with a newline in its input. */
  newline: boolean
}

export class SedOutput {
  text = ''
  private missingNewline = false

  emit(text: string, newline: boolean): void {
    if (this.missingNewline) this.text += '\n'
    this.text += text
    if (newline) this.text += '\n'
    this.missingNewline = !newline
  }
}

export class NoPreviousRegex extends Error {
  override readonly name = 'NoPreviousRegex'
  constructor() {
    super('no previous regular expression')
  }
}

interface RangeState {
  active: boolean
  /** For N and +N ends: the last line of the range. */
  endLine?: number
}

function applyCase(text: string, mode: 'U' | 'L' | 'E'): string {
  return mode === 'U' ? text.toUpperCase() : mode === 'L' ? text.toLowerCase() : text
}

function renderReplacement(parts: readonly ReplacementPart[], match: RegexMatch, subject: string): string {
  let out = ''
  let mode: 'U' | 'L' | 'E' = 'E'
  let once: 'u' | 'l' | undefined
  for (const part of parts) {
    if (part.kind === 'case') {
      if (part.mode === 'u' || part.mode === 'l') once = part.mode
      else {
        mode = part.mode
        once = undefined
      }
      continue
    }
    const span = part.kind === 'group' ? match.groups[part.group] : undefined
    let text = applyCase(part.kind === 'text' ? part.text : span ? subject.slice(span[0], span[1]) : '', mode)
    if (once && text !== '') {
      const first = String.fromCodePoint(text.codePointAt(0) as number)
      text = (once === 'u' ? first.toUpperCase() : first.toLowerCase()) + text.slice(first.length)
      once = undefined
    }
    out += text
  }
  return out
}

export class SedMachine {
  private readonly ranges = new Map<number, RangeState>()
  private lastRegex: Regex | undefined
  private lineNumber = 0
  private index = 0
  private pattern = ''
  private hold = ''
  /** GNU's `chomped` flags: whether the pattern (hold) space ends a line that had its newline; they travel with g G h H x. */
  private newline = true
  private holdNewline = true
  private substituted = false
  private appendQueue: string[] = []
  exitCode: number | undefined

  constructor(
    private readonly program: Program,
    private readonly lines: readonly InputLine[],
    private readonly output: SedOutput,
    private readonly quiet: boolean,
  ) {}

  private regex(regex: Regex | undefined): Regex {
    const chosen = regex ?? this.lastRegex
    if (!chosen) throw new NoPreviousRegex()
    this.lastRegex = chosen
    return chosen
  }

  private test(regex: Regex | undefined, text: string): boolean {
    return this.regex(regex).test(text)
  }

  private isLast(): boolean {
    return this.index >= this.lines.length
  }

  private matches(address: Address): boolean {
    switch (address.kind) {
      case 'line':
        return this.lineNumber === address.line
      case 'last':
        return this.isLast()
      case 'regex':
        return this.test(address.regex, this.pattern)
      case 'step':
        return address.step <= 0 ? this.lineNumber === address.first : this.lineNumber >= address.first && (this.lineNumber - address.first) % address.step === 0
    }
  }

  private selects(command: Command): boolean {
    return this.inRange(command.id, command.selector) !== command.selector.negate
  }

  private inRange(id: number, selector: Selector): boolean {
    const { start, end } = selector
    if (!start) return true
    if (!end) return this.matches(start)
    let state = this.ranges.get(id)
    if (!state) {
      // 0,/re/ is open before line 1, so its end regex is tried on line 1 too.
      state = { active: selector.zeroStart }
      this.ranges.set(id, state)
    }
    if (state.active) {
      if (end.kind === 'line' || end.kind === 'plus') state.active = this.lineNumber < (state.endLine ?? 0)
      else if (end.kind === 'multiple') state.active = this.lineNumber % end.of !== 0
      else state.active = !this.matches(end)
      return true
    }
    if (selector.zeroStart || !this.matches(start)) return false
    // A range whose end is a line at or before its start covers one line.
    if (end.kind === 'line') state.endLine = end.line
    else if (end.kind === 'plus') state.endLine = this.lineNumber + end.count
    if (end.kind === 'line' || end.kind === 'plus') state.active = this.lineNumber < (state.endLine as number)
    else if (end.kind === 'multiple') state.active = end.of > 0 && this.lineNumber % end.of !== 0
    else state.active = true
    return true
  }

  private readLine(): boolean {
    const line = this.lines[this.index]
    if (!line) return false
    this.index++
    this.lineNumber++
    this.pattern = line.text
    this.newline = line.newline
    return true
  }

  private flushAppends(): void {
    for (const text of this.appendQueue) this.output.emit(text, true)
    this.appendQueue = []
  }

  private endCycle(print: boolean): void {
    if (print && !this.quiet) this.output.emit(this.pattern, this.newline)
    this.flushAppends()
  }

  private substitute(substitution: Substitution): void {
    const regex = this.regex(substitution.regex)
    let out = ''
    let copied = 0
    let position = 0
    let count = 0
    let previousEnd = -1
    let replaced = false
    while (position <= this.pattern.length) {
      const match = regex.exec(this.pattern, position)
      if (!match) break
      const { start, end } = match
      // POSIX: no empty match right where the previous match ended.
      if (start === end && start === previousEnd) {
        position = start + 1
        continue
      }
      count++
      if (count >= substitution.occurrence) {
        out += this.pattern.slice(copied, start) + renderReplacement(substitution.replacement, match, this.pattern)
        copied = end
        replaced = true
        if (!substitution.global) break
      }
      previousEnd = end
      position = start === end ? end + 1 : end
    }
    if (!replaced) return
    this.pattern = out + this.pattern.slice(copied)
    this.substituted = true
    if (substitution.print) this.output.emit(this.pattern, this.newline)
  }

  /**
   * Runs every cycle; returns when input ends or q/Q stops it. Paced by
   * commands run and regex steps, so `:a;ba` or a huge input still yields to
   * the call's deadline.
   */
  async run(pacer: Pacer): Promise<void> {
    let restart = false
    let executed = 0
    while (restart || this.readLine()) {
      restart = false
      this.substituted = false
      let pc = 0
      let print = true
      cycle: while (pc < this.program.commands.length) {
        const command = this.program.commands[pc] as Command
        pc++
        const work = ++executed + this.program.regexSteps.steps
        if (pacer.due(work)) await pacer.pause(work)
        if (!this.selects(command)) {
          if (command.name === '{') pc = command.end + 1
          continue
        }
        switch (command.name) {
          case '{':
          case '}':
          case ':':
            break
          case '=':
            this.output.emit(String(this.lineNumber), true)
            break
          case 'a':
            this.appendQueue.push(command.text)
            break
          case 'i':
            this.output.emit(command.text, true)
            break
          case 'c': {
            const { end } = command.selector
            const rangeOver = !end || command.selector.negate || !this.ranges.get(command.id)?.active
            if (rangeOver) this.output.emit(command.text, true)
            print = false
            break cycle
          }
          case 'd':
            print = false
            break cycle
          case 'D': {
            const newline = this.pattern.indexOf('\n')
            print = false
            if (newline === -1) break cycle
            // Start the next cycle on what is left, without reading a line.
            this.pattern = this.pattern.slice(newline + 1)
            restart = true
            break cycle
          }
          case 'g':
            this.pattern = this.hold
            this.newline = this.holdNewline
            break
          case 'G':
            this.pattern += `\n${this.hold}`
            this.newline ||= this.holdNewline
            break
          case 'h':
            this.hold = this.pattern
            this.holdNewline = this.newline
            break
          case 'H':
            this.hold += `\n${this.pattern}`
            this.holdNewline ||= this.newline
            break
          case 'x':
            ;[this.pattern, this.hold] = [this.hold, this.pattern]
            ;[this.newline, this.holdNewline] = [this.holdNewline, this.newline]
            break
          case 'z':
            this.pattern = ''
            break
          case 'p':
            this.output.emit(this.pattern, this.newline)
            break
          case 'P': {
            const newline = this.pattern.indexOf('\n')
            this.output.emit(newline === -1 ? this.pattern : this.pattern.slice(0, newline), newline !== -1 || this.newline)
            break
          }
          case 'n':
            if (this.isLast()) break cycle
            this.endCycle(true)
            this.readLine()
            break
          case 'N': {
            if (this.isLast()) break cycle
            const previous = this.pattern
            this.readLine()
            this.pattern = `${previous}\n${this.pattern}`
            break
          }
          case 'q':
            this.endCycle(true)
            this.exitCode = command.exitCode
            return
          case 'Q':
            this.exitCode = command.exitCode
            return
          case 's':
            this.substitute(command.substitution)
            break
          case 'y':
            this.pattern = [...this.pattern].map((char) => command.map.get(char) ?? char).join('')
            break
          case 'b':
            pc = command.target
            break
          case 't':
          case 'T':
            if (this.substituted === (command.name === 't')) pc = command.target
            this.substituted = false
            break
        }
      }
      this.endCycle(print)
    }
  }
}
