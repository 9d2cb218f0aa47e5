/**
 * Myers' O(ND) shortest edit script between two sequences of keys, with a
 * work budget: the trace costs O(D²) and the search O((N+M)·D), so a pair of
 * inputs that differ too much throws DiffTooLarge (diff sends that call to
 * tier 4) instead of running unbounded. The caller's Pacer keeps the search
 * interruptible. Deletions come before insertions within a change, as GNU
 * prints them.
 */
import type { Pacer } from '../../pace'

/** A run of the edit script: `a[aStart..aEnd)` replaced by `b[bStart..bEnd)` (either side may be empty). */
export interface Change {
  aStart: number
  aEnd: number
  bStart: number
  bEnd: number
}

export class DiffTooLarge extends Error {
  override readonly name = 'DiffTooLarge'
}

/** Around a second of work on a Worker; beyond it real diff (tier 4) answers. */
const WORK_BUDGET = 50_000_000

export async function myers(a: readonly string[], b: readonly string[], pacer: Pacer): Promise<Change[]> {
  const n = a.length
  const m = b.length
  const max = n + m
  const offset = max + 1
  const v = new Int32Array(2 * max + 3)
  const trace: Int32Array[] = []
  let work = 0
  let found = -1
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2))
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number)) ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      work += x - (v[offset + k] as number) + 1
      v[offset + k] = x
      if (x >= n && y >= m) {
        found = d
        break
      }
    }
    work += 2 * d + 3
    if (work > WORK_BUDGET) throw new DiffTooLarge('the inputs differ too much for tier 1')
    if (pacer.due(work)) await pacer.pause(work)
  }
  return backtrack(trace, n, m)
}

/** Walks the trace back from (n, m), collecting single edits, then merges adjacent ones into changes. */
function backtrack(trace: Int32Array[], n: number, m: number): Change[] {
  // [a position, b position, deletion?]: a deletion removes a[ai]; an insertion adds b[bi] before a[ai].
  const edits: Array<[number, number, boolean]> = []
  let x = n
  let y = m
  for (let d = trace.length - 1; d > 0; d--) {
    const row = trace[d] as Int32Array
    // row holds v[-d-1 .. d+1] as it was before step d.
    const at = (k: number) => row[k + d + 1] as number
    const k = x - y
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1))
    const prevK = down ? k + 1 : k - 1
    const prevX = at(prevK)
    const prevY = prevX - prevK
    edits.push([prevX, prevY, !down])
    x = prevX
    y = prevY
  }
  edits.reverse()
  const changes: Change[] = []
  for (const [ai, bi, deletion] of edits) {
    const last = changes[changes.length - 1]
    if (last && last.aEnd === ai && last.bEnd === bi) {
      if (deletion) last.aEnd++
      else last.bEnd++
      continue
    }
    changes.push({ aStart: ai, aEnd: deletion ? ai + 1 : ai, bStart: bi, bEnd: deletion ? bi : bi + 1 })
  }
  return changes
}
