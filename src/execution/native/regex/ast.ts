/**
 * The parsed form of a POSIX pattern, shared by the BRE/ERE parser, the glob
 * parser and the compiler. Characters are Unicode code points; case folding
 * is applied when compiling, not here.
 */
import type { CharSet } from './charset'

/** Zero-width tests. `line-*` are `^ $` (line ends in multi-line mode); `text-*` are \` and \'. */
export type AssertKind =
  | 'line-start'
  | 'line-end'
  | 'text-start'
  | 'text-end'
  | 'word-boundary'
  | 'not-word-boundary'
  | 'word-start'
  | 'word-end'
  /** For grep -w: no word character before / after this point. */
  | 'no-word-before'
  | 'no-word-after'

export type Node =
  | { type: 'empty' }
  | { type: 'char'; cp: number }
  | { type: 'any' }
  | { type: 'set'; set: CharSet }
  | { type: 'assert'; kind: AssertKind }
  | { type: 'group'; index: number; body: Node }
  | { type: 'concat'; items: Node[] }
  | { type: 'alt'; items: Node[] }
  | { type: 'repeat'; body: Node; min: number; max: number }
  | { type: 'backref'; index: number }

export const EMPTY: Node = { type: 'empty' }

export function concat(items: Node[]): Node {
  return items.length === 0 ? EMPTY : items.length === 1 ? (items[0] as Node) : { type: 'concat', items }
}

export function alternation(items: Node[]): Node {
  return items.length === 1 ? (items[0] as Node) : { type: 'alt', items }
}

export function literal(text: string): Node {
  return concat([...text].map((char) => ({ type: 'char', cp: char.codePointAt(0) as number })))
}

/** Whether the tree holds a back-reference (which the linear-time VM cannot match). */
export function hasBackref(node: Node): boolean {
  switch (node.type) {
    case 'backref':
      return true
    case 'group':
    case 'repeat':
      return hasBackref(node.body)
    case 'concat':
    case 'alt':
      return node.items.some(hasBackref)
    default:
      return false
  }
}

/**
 * The tree with every back-reference replaced by "any text": it matches
 * wherever the original could, so when the linear-time VM finds no match
 * for it, the backtracker need not run at all.
 */
export function relaxBackrefs(node: Node): Node {
  switch (node.type) {
    case 'backref':
      return { type: 'repeat', body: { type: 'any' }, min: 0, max: Infinity }
    case 'group':
    case 'repeat':
      return { ...node, body: relaxBackrefs(node.body) }
    case 'concat':
    case 'alt':
      return { ...node, items: node.items.map(relaxBackrefs) }
    default:
      return node
  }
}
