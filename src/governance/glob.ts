/**
 * Glob patterns over policy action strings, compiled once.
 *
 * Syntax (IAM-like, so a rule reads the same for paths, URLs and commands):
 * `*` matches any run of characters (including `/` and `:`), `?` matches
 * exactly one character, `\` makes the next character literal. Nothing else is
 * special. A pattern compiles to its literal pieces between stars and matches
 * by a left-to-right scan (leftmost placement of each piece is always optimal
 * when pieces are separated by `*`), so a match costs O(length × pattern) at
 * worst and never backtracks exponentially, unlike a naive glob → RegExp.
 */

const ANY_ONE = -1

/** One piece between stars: literal char codes, with ANY_ONE for `?`. */
type Piece = number[]

export interface CompiledGlob {
  readonly pattern: string
  /** Number of literal (non-wildcard) characters: the rule's specificity. */
  readonly literalCount: number
  /** True when the pattern has no wildcard at all. */
  readonly exact: boolean
  matches(subject: string): boolean
}

export class GlobSyntaxError extends Error {}

function parsePieces(pattern: string): { pieces: Piece[]; literalCount: number; starCount: number } {
  const pieces: Piece[] = [[]]
  let literalCount = 0
  let starCount = 0
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string
    const current = pieces[pieces.length - 1] as Piece
    if (ch === '\\') {
      if (i + 1 >= pattern.length) throw new GlobSyntaxError(`pattern "${pattern}" ends with a lone "\\"; write "\\\\" for a literal backslash`)
      current.push(pattern.charCodeAt(++i))
      literalCount++
    } else if (ch === '*') {
      starCount++
      // Consecutive stars are one star: keep a single empty boundary.
      if (current.length > 0 || pieces.length === 1) pieces.push([])
    } else if (ch === '?') {
      current.push(ANY_ONE)
    } else {
      current.push(pattern.charCodeAt(i))
      literalCount++
    }
  }
  return { pieces, literalCount, starCount }
}

function pieceMatchesAt(subject: string, piece: Piece, at: number): boolean {
  if (at + piece.length > subject.length) return false
  for (let k = 0; k < piece.length; k++) {
    const want = piece[k] as number
    if (want !== ANY_ONE && subject.charCodeAt(at + k) !== want) return false
  }
  return true
}

function findPiece(subject: string, piece: Piece, from: number, limit: number): number {
  for (let at = from; at + piece.length <= limit; at++) {
    if (pieceMatchesAt(subject, piece, at)) return at
  }
  return -1
}

function isLiteral(piece: Piece): boolean {
  return !piece.includes(ANY_ONE)
}

export function compileGlob(pattern: string): CompiledGlob {
  const { pieces, literalCount, starCount } = parsePieces(pattern)
  const base = { pattern, literalCount, exact: starCount === 0 && pieces.every(isLiteral) }

  if (starCount === 0) {
    const only = pieces[0] as Piece
    if (base.exact) {
      const literal = String.fromCharCode(...only)
      return { ...base, matches: (s) => s === literal }
    }
    return { ...base, matches: (s) => s.length === only.length && pieceMatchesAt(s, only, 0) }
  }

  const head = pieces[0] as Piece
  const tail = pieces[pieces.length - 1] as Piece
  const middle = pieces.slice(1, -1).filter((p) => p.length > 0)
  return {
    ...base,
    matches(subject: string): boolean {
      if (subject.length < head.length + tail.length) return false
      if (!pieceMatchesAt(subject, head, 0)) return false
      const tailStart = subject.length - tail.length
      if (!pieceMatchesAt(subject, tail, tailStart)) return false
      let cursor = head.length
      for (const piece of middle) {
        const at = findPiece(subject, piece, cursor, tailStart)
        if (at < 0) return false
        cursor = at + piece.length
      }
      return true
    },
  }
}
