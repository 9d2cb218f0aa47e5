/**
 * The compiled form both matchers run: a flat instruction list in the style
 * of Thompson and Pike (consume a character, split, jump, save a position,
 * assert). Struct-of-arrays so the matchers' inner loops touch typed arrays.
 */
import type { AssertKind } from './ast'
import type { CharSet } from './charset'

export const Op = {
  /** `a` is the code point. */
  Char: 0,
  /** Case-insensitive character: `a` is its lower case, `b` its upper case. */
  CharFold: 1,
  /** `a` is 1 when `.` also matches a newline. */
  Any: 2,
  /** `a` indexes `sets`; `b` is 1 to fold case. */
  Set: 3,
  /** Try `a` first, then `b`. */
  Split: 4,
  Jump: 5,
  /** Stores the position in slot `a` (2n and 2n+1 are group n's start and end). */
  Save: 6,
  /** `a` indexes ASSERT_KINDS. */
  Assert: 7,
  /** Back-reference to group `a`; `b` is 1 to fold case. Only the backtracker runs these. */
  Backref: 8,
  /** Loop guards for the backtracker: Mark stores the position in slot `a`, Check fails when it has not moved. */
  Mark: 9,
  Check: 10,
  Match: 11,
} as const

export const ASSERT_KINDS: readonly AssertKind[] = [
  'line-start',
  'line-end',
  'text-start',
  'text-end',
  'word-boundary',
  'not-word-boundary',
  'word-start',
  'word-end',
  'no-word-before',
  'no-word-after',
]

export interface Program {
  readonly op: Uint8Array
  readonly a: Int32Array
  readonly b: Int32Array
  readonly sets: readonly CharSet[]
  /** Number of capture slots (2 per group, group 0 included) plus loop-guard slots. */
  readonly slots: number
  /** `^` and `$` also match at newlines (sed's M flag). */
  readonly multiline: boolean
  /** `.` and negated sets match a newline. */
  readonly dotNewline: boolean
}
