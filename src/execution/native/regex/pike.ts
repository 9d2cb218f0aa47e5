/**
 * The Pike VM: simulates every thread of the program in lock step, one code
 * point at a time, so a match costs O(text × program) whatever the pattern —
 * `(a+)+$` included. Threads are kept in priority order and a program state
 * is entered at most once per position (the first, highest-priority thread
 * to reach it wins). Threads are seeded at successive positions, so the
 * list is also ordered by start; a match is POSIX leftmost-longest: the
 * earliest start, and for it the latest end any thread reaches. Group spans
 * are those of the highest-priority thread with that longest span.
 */
import { codePointAt, codePointBefore } from './chars'
import { Op, type Program } from './program'
import { accepts, holds } from './step'

/** Counts instructions executed; the tests bound it to prove linear time. */
export interface StepCounter {
  steps: number
}

class ThreadList {
  readonly pcs: Int32Array
  readonly caps: number[][]
  size = 0

  constructor(length: number) {
    this.pcs = new Int32Array(length)
    this.caps = new Array<number[]>(length)
  }

  add(pc: number, caps: number[]): void {
    this.pcs[this.size] = pc
    this.caps[this.size] = caps
    this.size++
  }
}

export class PikeVM {
  private readonly marks: Int32Array
  private generation = 0
  private readonly stackPcs: Int32Array
  private readonly stackCaps: number[][]
  private current: ThreadList
  private next: ThreadList

  constructor(
    private readonly program: Program,
    /** Where a match can start: the next candidate position at or after `from`, or -1. */
    private readonly candidate: (text: string, from: number) => number,
    private readonly counter: StepCounter,
  ) {
    const length = program.op.length
    this.marks = new Int32Array(length)
    this.stackPcs = new Int32Array(length * 2 + 2)
    this.stackCaps = new Array<number[]>(length * 2 + 2)
    this.current = new ThreadList(length)
    this.next = new ThreadList(length)
  }

  /** Follows splits, jumps, saves and assertions from `start`, adding the consuming states reached to `list`. */
  private follow(list: ThreadList, start: number, caps: number[], text: string, pos: number, generation: number): void {
    const { op, a, b } = this.program
    const marks = this.marks
    const stackPcs = this.stackPcs
    const stackCaps = this.stackCaps
    let before = -2
    let after = -2
    let top = 0
    stackPcs[0] = start
    stackCaps[0] = caps
    top = 1
    let steps = 0
    while (top > 0) {
      top--
      const pc = stackPcs[top] as number
      const threadCaps = stackCaps[top] as number[]
      if (marks[pc] === generation) continue
      marks[pc] = generation
      steps++
      switch (op[pc]) {
        case Op.Jump:
          stackPcs[top] = a[pc] as number
          stackCaps[top++] = threadCaps
          break
        case Op.Split:
          stackPcs[top] = b[pc] as number
          stackCaps[top++] = threadCaps
          stackPcs[top] = a[pc] as number
          stackCaps[top++] = threadCaps
          break
        case Op.Save: {
          const saved = threadCaps.slice()
          saved[a[pc] as number] = pos
          stackPcs[top] = pc + 1
          stackCaps[top++] = saved
          break
        }
        case Op.Mark:
        case Op.Check:
          stackPcs[top] = pc + 1
          stackCaps[top++] = threadCaps
          break
        case Op.Assert:
          if (before === -2) {
            before = codePointBefore(text, pos)
            after = codePointAt(text, pos)
          }
          if (holds(this.program, a[pc] as number, before, after)) {
            stackPcs[top] = pc + 1
            stackCaps[top++] = threadCaps
          }
          break
        case Op.Backref:
          // Never compiled for this VM; a back-reference pattern runs on the backtracker.
          break
        default:
          list.add(pc, threadCaps)
      }
    }
    this.counter.steps += steps
  }

  private seed(pos: number): number[] {
    const caps = new Array<number>(this.program.slots).fill(-1)
    caps[0] = pos
    return caps
  }

  /**
   * The leftmost-longest match starting at or after `from`, as slots
   * (0 and 1 the match, 2n and 2n+1 group n, -1 unset), or undefined.
   * `firstOnly` stops at the first match found (enough to answer test()).
   */
  exec(text: string, from: number, firstOnly = false): number[] | undefined {
    const { op } = this.program
    let best: number[] | undefined
    let pos = from
    let generation = ++this.generation
    this.current.size = 0
    for (;;) {
      if (!best) {
        if (this.current.size === 0) {
          const next = this.candidate(text, pos)
          if (next < 0) break
          if (next !== pos) generation = ++this.generation
          pos = next
        }
        this.follow(this.current, 0, this.seed(pos), text, pos, generation)
      }
      const list = this.current
      const cp = codePointAt(text, pos)
      const width = cp > 0xffff ? 2 : 1
      if (list.size === 0) {
        // Nothing alive here (an assertion failed at the seed): try the next position.
        if (best || cp < 0) break
        pos += width
        generation = ++this.generation
        continue
      }
      const next = this.next
      next.size = 0
      const nextGeneration = ++this.generation
      this.counter.steps += list.size
      for (let index = 0; index < list.size; index++) {
        const pc = list.pcs[index] as number
        const caps = list.caps[index] as number[]
        const start = caps[0] as number
        if (best && start > (best[0] as number)) break
        if (op[pc] === Op.Match) {
          if (!best || start < (best[0] as number) || pos > (best[1] as number)) {
            best = caps.slice()
            best[1] = pos
            if (firstOnly) return best
          }
          continue
        }
        if (accepts(this.program, pc, cp)) this.follow(next, pc + 1, caps, text, pos + width, nextGeneration)
      }
      if (cp < 0) break
      pos += width
      generation = nextGeneration
      this.next = list
      this.current = next
    }
    return best
  }
}
