/**
 * Where a match can start, worked out once per program so the matchers skip
 * text no match can begin in: a pattern that must start with a literal
 * string jumps with indexOf, one that must start with one of a few
 * characters or sets tests each code point against them, and one that can
 * start anywhere (`.`, an anchor, an empty match) tries every position.
 */
import { Op, type Program } from './program'
import { accepts } from './step'

export type Candidate = (text: string, from: number) => number

const everywhere: Candidate = (text, from) => (from <= text.length ? from : -1)

/** The consuming instructions reachable from the start without consuming, or undefined when a match could begin with no character. */
function firstConsumers(program: Program): number[] | undefined {
  const { op, a, b } = program
  const seen = new Set<number>()
  const consumers: number[] = []
  const stack = [0]
  while (stack.length > 0) {
    const pc = stack.pop() as number
    if (seen.has(pc)) continue
    seen.add(pc)
    switch (op[pc]) {
      case Op.Jump:
        stack.push(a[pc] as number)
        break
      case Op.Split:
        stack.push(a[pc] as number, b[pc] as number)
        break
      case Op.Save:
      case Op.Mark:
      case Op.Check:
        stack.push(pc + 1)
        break
      case Op.Assert:
      case Op.Backref:
      case Op.Match:
      case Op.Any:
        return undefined
      default:
        consumers.push(pc)
    }
  }
  return consumers
}

export function candidateFor(program: Program): Candidate {
  const consumers = firstConsumers(program)
  if (!consumers || consumers.length === 0) return everywhere
  if (consumers.length === 1 && program.op[consumers[0] as number] === Op.Char) {
    let prefix = ''
    for (let pc = consumers[0] as number; program.op[pc] === Op.Char; pc++) prefix += String.fromCodePoint(program.a[pc] as number)
    return (text, from) => text.indexOf(prefix, from)
  }
  return (text, from) => {
    for (let pos = from; pos < text.length; ) {
      const cp = text.codePointAt(pos) as number
      for (const pc of consumers) if (accepts(program, pc, cp)) return pos
      pos += cp > 0xffff ? 2 : 1
    }
    return -1
  }
}
