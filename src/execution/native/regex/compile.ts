/**
 * AST → Program. Repetitions unroll: `x{2,4}` is `xx(x(x)?)?`, `x*` a loop;
 * group saves are only emitted when the caller wants group spans, so a
 * span-only program keeps its threads small. In backtracking mode every loop
 * gets a Mark/Check guard so an iteration that consumed nothing ends the
 * loop instead of spinning (the Pike VM needs none: a state is entered once
 * per position).
 */
import type { Node } from './ast'
import { lowerOf, upperOf } from './chars'
import type { CharSet } from './charset'
import { RegexTooComplex } from './errors'
import { ASSERT_KINDS, Op, type Program } from './program'

export interface CompileOptions {
  groups: number
  icase: boolean
  /** `.` and negated sets match a newline (sed without M; grep lines have none). */
  dotNewline: boolean
  multiline: boolean
  /** Emit group saves (slots 2 and up). */
  captures: boolean
  /** Emit loop guards for the backtracker. */
  loopGuards: boolean
}

/** Past this many instructions a pattern is refused rather than letting memory grow with `x{1000}{1000}`. */
export const MAX_PROGRAM = 400_000

class Builder {
  private op: number[] = []
  private a: number[] = []
  private b: number[] = []
  private readonly sets: CharSet[] = []
  private loopSlots = 0

  constructor(private readonly options: CompileOptions) {}

  private emit(op: number, a = 0, b = 0): number {
    if (this.op.length >= MAX_PROGRAM) throw new RegexTooComplex(MAX_PROGRAM)
    this.op.push(op)
    this.a.push(a)
    this.b.push(b)
    return this.op.length - 1
  }

  private patchA(at: number, target: number): void {
    this.a[at] = target
  }

  private patchB(at: number, target: number): void {
    this.b[at] = target
  }

  private get here(): number {
    return this.op.length
  }

  node(node: Node): void {
    const { icase } = this.options
    switch (node.type) {
      case 'empty':
        return
      case 'char': {
        const lower = lowerOf(node.cp)
        const upper = upperOf(node.cp)
        if (icase && lower !== upper) this.emit(Op.CharFold, lower, upper)
        else this.emit(Op.Char, node.cp)
        return
      }
      case 'any':
        this.emit(Op.Any, this.options.dotNewline ? 1 : 0)
        return
      case 'set':
        this.sets.push(node.set)
        this.emit(Op.Set, this.sets.length - 1, icase ? 1 : 0)
        return
      case 'assert':
        this.emit(Op.Assert, ASSERT_KINDS.indexOf(node.kind))
        return
      case 'backref':
        this.emit(Op.Backref, node.index, icase ? 1 : 0)
        return
      case 'group':
        if (this.options.captures) this.emit(Op.Save, node.index * 2)
        this.node(node.body)
        if (this.options.captures) this.emit(Op.Save, node.index * 2 + 1)
        return
      case 'concat':
        for (const item of node.items) this.node(item)
        return
      case 'alt':
        return this.alternation(node.items)
      case 'repeat':
        return this.repeat(node.body, node.min, node.max)
    }
  }

  private alternation(items: readonly Node[]): void {
    const jumps: number[] = []
    for (let index = 0; index < items.length - 1; index++) {
      const split = this.emit(Op.Split, this.here + 1)
      this.node(items[index] as Node)
      jumps.push(this.emit(Op.Jump))
      this.patchB(split, this.here)
    }
    this.node(items[items.length - 1] as Node)
    for (const jump of jumps) this.patchA(jump, this.here)
  }

  private repeat(body: Node, min: number, max: number): void {
    for (let count = 0; count < min; count++) this.node(body)
    if (max === Infinity) return this.star(body)
    const exits: number[] = []
    for (let count = min; count < max; count++) {
      exits.push(this.emit(Op.Split, this.here + 1))
      this.node(body)
    }
    for (const exit of exits) this.patchB(exit, this.here)
  }

  private star(body: Node): void {
    const guard = this.options.loopGuards ? this.loopSlot() : -1
    const loop = this.emit(Op.Split, this.here + 1)
    if (guard >= 0) this.emit(Op.Mark, guard)
    this.node(body)
    if (guard >= 0) this.emit(Op.Check, guard)
    this.emit(Op.Jump, loop)
    this.patchB(loop, this.here)
  }

  private loopSlot(): number {
    return (this.options.groups + 1) * 2 + this.loopSlots++
  }

  finish(): Program {
    this.emit(Op.Match)
    return {
      op: Uint8Array.from(this.op),
      a: Int32Array.from(this.a),
      b: Int32Array.from(this.b),
      sets: this.sets,
      slots: (this.options.groups + 1) * 2 + this.loopSlots,
      multiline: this.options.multiline,
      dotNewline: this.options.dotNewline,
    }
  }
}

export function compileProgram(node: Node, options: CompileOptions): Program {
  const builder = new Builder(options)
  builder.node(node)
  return builder.finish()
}
