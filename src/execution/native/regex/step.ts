/**
 * What one instruction decides at one position, shared by the Pike VM and
 * the backtracker: whether a consuming instruction accepts a code point, and
 * whether a zero-width assertion holds between two code points.
 */
import { isWordChar, lowerOf, upperOf } from './chars'
import { Op, type Program } from './program'

/** Whether the consuming instruction at `pc` accepts `cp` (-1 is the end of the text). */
export function accepts(program: Program, pc: number, cp: number): boolean {
  if (cp < 0) return false
  switch (program.op[pc]) {
    case Op.Char:
      return program.a[pc] === cp
    case Op.CharFold:
      return lowerOf(cp) === program.a[pc] || upperOf(cp) === program.b[pc]
    case Op.Any:
      return cp !== 10 || program.a[pc] === 1
    case Op.Set: {
      const set = program.sets[program.a[pc] as number]
      if (set === undefined || (cp === 10 && set.negated && !program.dotNewline)) return false
      if (set.has(cp)) return true
      return program.b[pc] === 1 && (set.has(lowerOf(cp)) || set.has(upperOf(cp)))
    }
    default:
      return false
  }
}

const word = (cp: number) => cp >= 0 && isWordChar(cp)

/**
 * Whether assertion `kind` (an ASSERT_KINDS index) holds between `before`
 * and `after`, the code points either side of the position (-1 at the ends).
 */
export function holds(program: Program, kind: number, before: number, after: number): boolean {
  switch (kind) {
    case 0:
      return before < 0 || (program.multiline && before === 10)
    case 1:
      return after < 0 || (program.multiline && after === 10)
    case 2:
      return before < 0
    case 3:
      return after < 0
    case 4:
      return word(before) !== word(after)
    case 5:
      return word(before) === word(after)
    case 6:
      return !word(before) && word(after)
    case 7:
      return word(before) && !word(after)
    case 8:
      return !word(before)
    case 9:
      return !word(after)
    default:
      return false
  }
}
