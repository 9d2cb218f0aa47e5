/**
 * The interpreter's state: variables (global, and function locals in
 * frames), arrays, the current record and its fields, and the conversions
 * that depend on CONVFMT/OFMT. Fields are split lazily; assigning a field or
 * NF rebuilds $0 with OFS, assigning $0 re-splits it.
 */
import type { CommandContext } from '../../context'
import { compileRegex, type Regex, type StepCounter } from '../../regex/index'
import { AwkFatal } from './errors'
import { formatAwk } from './format'
import { splitRecord } from './records'
import { inputValue, toNumber, toStringWith, UNINIT, type Value } from './values'

/** A variable: untyped until first used as a scalar or an array. */
export interface Cell {
  value: Value
  array?: Map<string, Value>
  /** An untyped argument passed by reference: becoming an array makes the caller's an array too. */
  link?: Cell
}

const REGEX_CACHE_LIMIT = 500

export class Runtime {
  readonly globals = new Map<string, Cell>()
  protected locals: Map<string, Cell> | undefined
  private record = ''
  private fields: Value[] = []
  private split = true
  /** FS as it was when the record was read: a new FS applies from the next record. */
  private recordFs = ' '
  private readonly regexes = new Map<string, Regex>()
  readonly counter: StepCounter = { steps: 0 }
  /** RS "" is paragraph mode, where newline also separates fields. */
  paragraphMode = false

  constructor(readonly ctx: CommandContext) {
    for (const [name, value] of Object.entries({ FS: ' ', OFS: ' ', ORS: '\n', RS: '\n', SUBSEP: '\x1c', CONVFMT: '%.6g', OFMT: '%.6g', NR: 0, FNR: 0, RSTART: 0, RLENGTH: -1, FILENAME: '' })) {
      this.globals.set(name, { value })
    }
    const environ = new Map<string, Value>()
    for (const [name, value] of Object.entries(ctx.env)) environ.set(name, inputValue(value))
    this.globals.set('ENVIRON', { value: UNINIT, array: environ })
  }

  regex(source: string): Regex {
    let regex = this.regexes.get(source)
    if (!regex) {
      regex = compileRegex(source, { flavor: 'extended', controlEscapes: true, counter: this.counter })
      if (this.regexes.size >= REGEX_CACHE_LIMIT) this.regexes.clear()
      this.regexes.set(source, regex)
    }
    return regex
  }

  /** sprintf with this run's conversions. */
  formatValues(format: string, args: readonly Value[]): string {
    return formatAwk(format, args, { toStr: (value) => this.toStr(value) })
  }

  readonly formatNumber = (format: string, value: number): string => this.formatValues(format, [value])

  toStr(value: Value): string {
    return toStringWith(value, this.special('CONVFMT'), this.formatNumber)
  }

  /** print's conversion: OFMT instead of CONVFMT. */
  toOutput(value: Value): string {
    return toStringWith(value, this.special('OFMT'), this.formatNumber)
  }

  /** An array subscript: integral numbers print as integers, others through CONVFMT. */
  subscript(values: readonly Value[]): string {
    if (values.length === 1) return this.toStr(values[0] as Value)
    return values.map((value) => this.toStr(value)).join(this.special('SUBSEP'))
  }

  /** The string value of a special variable the runtime itself reads (FS, OFS, CONVFMT…). */
  special(name: string): string {
    const cell = this.globals.get(name)
    if (!cell) return ''
    const value = cell.value
    return typeof value === 'string' ? value : toStringWith(value, '%.6g', this.formatNumber)
  }

  protected resolve(name: string): Cell {
    let cell = this.locals?.get(name) ?? this.globals.get(name)
    if (!cell) {
      cell = { value: UNINIT }
      this.globals.set(name, cell)
    }
    return cell
  }

  getVar(name: string): Value {
    if (name === 'NF') return this.nf()
    const cell = this.resolve(name)
    if (cell.array) throw new AwkFatal(`attempt to use array \`${name}' in a scalar context`)
    return cell.value
  }

  setVar(name: string, value: Value): void {
    if (name === 'NF') return this.setNf(value)
    const cell = this.resolve(name)
    if (cell.array) throw new AwkFatal(`attempt to use array \`${name}' in a scalar context`)
    cell.value = value
    if (name === 'RS' && !this.locals?.has(name)) this.paragraphMode = this.toStr(value) === ''
  }

  array(name: string): Map<string, Value> {
    const cell = this.resolve(name)
    if (cell.array) return cell.array
    if (cell.value !== UNINIT) throw new AwkFatal(`attempt to use scalar \`${name}' as an array`)
    let root: Cell = cell
    while (root.link && !root.link.array) root = root.link
    const array = root.link?.array ?? new Map<string, Value>()
    for (let at: Cell | undefined = cell; at; at = at.link) at.array = array
    return array
  }

  /** The cell itself, for passing an array or untyped variable by reference. */
  cellOf(name: string): Cell {
    return this.resolve(name)
  }

  // Record and fields.

  setRecord(text: string): void {
    this.record = text
    this.split = false
    this.recordFs = this.special('FS')
  }

  private ensureSplit(): void {
    if (this.split) return
    this.fields = splitRecord(this.record, this.recordFs, this.paragraphMode, (source) => this.regex(source)).map(inputValue)
    this.split = true
  }

  nf(): number {
    this.ensureSplit()
    return this.fields.length
  }

  getField(index: number): Value {
    if (index === 0) return inputValue(this.record)
    this.checkIndex(index)
    this.ensureSplit()
    // A field past NF reads as the empty string (not uninitialised: it compares as a string).
    return this.fields[index - 1] ?? ''
  }

  setField(index: number, value: Value): void {
    if (index === 0) {
      this.setRecord(this.toStr(value))
      return
    }
    this.checkIndex(index)
    this.ensureSplit()
    while (this.fields.length < index) this.fields.push('')
    this.fields[index - 1] = value
    this.rebuild()
  }

  private checkIndex(index: number): void {
    if (index < 0) throw new AwkFatal(`attempt to access field ${index}`)
  }

  private setNf(value: Value): void {
    const count = Math.trunc(toNumber(value))
    if (count < 0) throw new AwkFatal(`NF set to negative value ${count}`)
    this.ensureSplit()
    while (this.fields.length < count) this.fields.push('')
    this.fields.length = count
    this.rebuild()
  }

  private rebuild(): void {
    const ofs = this.special('OFS')
    this.record = this.fields.map((field) => this.toStr(field)).join(ofs)
  }

  /** NR and FNR as the record loop advances them. */
  bumpCounters(): void {
    for (const name of ['NR', 'FNR']) {
      const cell = this.globals.get(name) as Cell
      cell.value = toNumber(cell.value) + 1
    }
  }
}
