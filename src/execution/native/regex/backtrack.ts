/**
 * The bounded backtracker, for patterns with back-references (`\(a*\)\1`),
 * which no automaton can match. It tries every path from each start
 * position (POSIX wants the longest, so it cannot stop at the first) and
 * counts its steps: past the budget it throws RegexTooComplex instead of
 * running for the exponential time such patterns can take.
 */
import { codePointAt, codePointBefore, lowerOf } from './chars'
import { RegexTooComplex } from './errors'
import type { StepCounter } from './pike'
import { Op, type Program } from './program'
import { accepts, holds } from './step'

/** Steps one exec may take: about a tenth of a second of matching. */
export const BACKTRACK_BUDGET = 2_000_000

/** The length of `text[start, end)` matched again at `pos`, or -1 when it does not match there. */
function matchAgain(text: string, start: number, end: number, pos: number, fold: boolean): number {
  const length = end - start
  if (pos + length > text.length) return -1
  if (!fold) return text.startsWith(text.slice(start, end), pos) ? length : -1
  for (let offset = 0; offset < length; ) {
    const expected = text.codePointAt(start + offset) as number
    const actual = text.codePointAt(pos + offset) as number
    if (lowerOf(expected) !== lowerOf(actual)) return -1
    offset += expected > 0xffff ? 2 : 1
  }
  return length
}

export class Backtracker {
  constructor(
    private readonly program: Program,
    private readonly candidate: (text: string, from: number) => number,
    private readonly counter: StepCounter,
    private readonly budget = BACKTRACK_BUDGET,
  ) {}

  /** Same contract as PikeVM.exec. */
  exec(text: string, from: number, firstOnly = false): number[] | undefined {
    const used = this.counter.steps
    for (let start = this.candidate(text, from); start >= 0; ) {
      const found = this.longestAt(text, start, firstOnly, used)
      if (found) return found
      if (start >= text.length) return undefined
      start = this.candidate(text, start + ((text.codePointAt(start) as number) > 0xffff ? 2 : 1))
    }
    return undefined
  }

  private longestAt(text: string, start: number, firstOnly: boolean, used: number): number[] | undefined {
    const program = this.program
    const { op, a, b } = program
    const seed = new Array<number>(program.slots).fill(-1)
    seed[0] = start
    const pcs: number[] = [0]
    const positions: number[] = [start]
    const saved: number[][] = [seed]
    let best: number[] | undefined
    while (pcs.length > 0) {
      let pc = pcs.pop() as number
      let pos = positions.pop() as number
      let caps = saved.pop() as number[]
      for (;;) {
        if (++this.counter.steps - used > this.budget) throw new RegexTooComplex(this.budget)
        const code = op[pc]
        if (code === Op.Match) {
          if (!best || pos > (best[1] as number)) {
            best = caps.slice()
            best[1] = pos
          }
          break
        }
        if (code === Op.Split) {
          pcs.push(b[pc] as number)
          positions.push(pos)
          saved.push(caps)
          pc = a[pc] as number
        } else if (code === Op.Jump) pc = a[pc] as number
        else if (code === Op.Save || code === Op.Mark) {
          caps = caps.slice()
          caps[a[pc] as number] = pos
          pc++
        } else if (code === Op.Check) {
          if (caps[a[pc] as number] === pos) break
          pc++
        } else if (code === Op.Assert) {
          if (!holds(program, a[pc] as number, codePointBefore(text, pos), codePointAt(text, pos))) break
          pc++
        } else if (code === Op.Backref) {
          const group = a[pc] as number
          const groupStart = caps[group * 2] as number
          const groupEnd = caps[group * 2 + 1] as number
          if (groupStart < 0 || groupEnd < 0) break
          const length = matchAgain(text, groupStart, groupEnd, pos, b[pc] === 1)
          if (length < 0) break
          pos += length
          pc++
        } else {
          const cp = codePointAt(text, pos)
          if (!accepts(program, pc, cp)) break
          pos += cp > 0xffff ? 2 : 1
          pc++
        }
      }
      // Nothing can be longer than a match to the end of the text.
      if (best && (firstOnly || (best[1] as number) === text.length)) return best
    }
    return best
  }
}
